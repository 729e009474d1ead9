package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.api.Status;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class StatusMappingTest {
  @Test
  void httpStatusesMapPerSpec() {
    assertCode(Status.INTERNAL, StatusMapping.fromHttpStatus(400));
    assertCode(Status.UNAUTHENTICATED, StatusMapping.fromHttpStatus(401));
    assertCode(Status.PERMISSION_DENIED, StatusMapping.fromHttpStatus(403));
    assertCode(Status.UNIMPLEMENTED, StatusMapping.fromHttpStatus(404));
    assertCode(Status.UNAVAILABLE, StatusMapping.fromHttpStatus(429));
    assertCode(Status.UNAVAILABLE, StatusMapping.fromHttpStatus(502));
    assertCode(Status.UNAVAILABLE, StatusMapping.fromHttpStatus(503));
    assertCode(Status.UNAVAILABLE, StatusMapping.fromHttpStatus(504));
    assertCode(Status.UNKNOWN, StatusMapping.fromHttpStatus(500));
    assertCode(Status.INTERNAL, StatusMapping.fromHttpStatus(103));
  }

  @Test
  void rstStreamCodesMapPerSpec() {
    assertCode(Status.CANCELLED, StatusMapping.fromRstStream(Http2Error.CANCEL.code()));
    assertCode(Status.UNAVAILABLE, StatusMapping.fromRstStream(Http2Error.REFUSED_STREAM.code()));
    assertCode(
        Status.RESOURCE_EXHAUSTED,
        StatusMapping.fromRstStream(Http2Error.ENHANCE_YOUR_CALM.code()));
    assertCode(
        Status.PERMISSION_DENIED,
        StatusMapping.fromRstStream(Http2Error.INADEQUATE_SECURITY.code()));
    assertCode(Status.INTERNAL, StatusMapping.fromRstStream(Http2Error.NO_ERROR.code()));
    assertCode(Status.INTERNAL, StatusMapping.fromRstStream(Http2Error.PROTOCOL_ERROR.code()));
    assertCode(Status.UNKNOWN, StatusMapping.fromRstStream(0x1234));
  }

  @Test
  void responseHeadersMustBe200WithGrpcContentType() {
    assertNull(StatusMapping.checkResponseHeaders(headers("200", "application/grpc")));
    assertCode(Status.UNAVAILABLE, StatusMapping.checkResponseHeaders(headers("503", "text/html")));
    assertCode(Status.UNKNOWN, StatusMapping.checkResponseHeaders(headers("200", "text/html")));
    assertCode(
        Status.INTERNAL, StatusMapping.checkResponseHeaders(headers(null, "application/grpc")));
  }

  @Test
  void trailersOnlyPrefersGrpcStatusOverHttpStatus() {
    Http2Headers h = headers("415", "application/grpc");
    h.add("grpc-status", "13");
    assertCode(Status.INTERNAL, StatusMapping.fromTrailersOnly(h));
    assertCode(Status.UNIMPLEMENTED, StatusMapping.fromTrailersOnly(headers("404", "text/plain")));
    assertCode(Status.UNKNOWN, StatusMapping.fromTrailersOnly(headers("200", "application/grpc")));
  }

  @Test
  void trailersWithoutOrWithBadStatusAreUnknown() {
    assertCode(Status.UNKNOWN, StatusMapping.fromTrailers(new DefaultHttp2Headers()));
    Http2Headers bad = new DefaultHttp2Headers().add("grpc-status", "x1");
    assertCode(Status.UNKNOWN, StatusMapping.fromTrailers(bad));
    Http2Headers unknownCode = new DefaultHttp2Headers().add("grpc-status", "99");
    assertCode(Status.UNKNOWN, StatusMapping.fromTrailers(unknownCode));
  }

  private static Http2Headers headers(String status, String contentType) {
    Http2Headers h = new DefaultHttp2Headers();
    if (status != null) {
      h.status(status);
    }
    h.add("content-type", contentType);
    return h;
  }
}
