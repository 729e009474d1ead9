package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CompressorRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The checks of a new stream's headers; ServerBadInputTest attacks each over a socket. */
class RequestHeadTest {
  private final CompressorRegistry compressors = new CompressorRegistry();

  private static Http2Headers request() {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/pkg.Svc/Echo")
        .authority("example.com:443")
        .set("content-type", "application/grpc+json")
        .set("te", "trailers");
  }

  @Test
  void aValidRequestGivesItsMethodDeadlineAuthoritySubtypeAndEncoding() throws Exception {
    RequestHead head =
        RequestHead.parse(
            request().set("grpc-timeout", "3S").set("grpc-encoding", "gzip"), compressors);
    assertEquals("pkg.Svc/Echo", head.methodName());
    assertEquals("example.com:443", head.authority());
    assertEquals("json", head.contentSubtype());
    assertEquals("gzip", head.encoding());
    assertEquals("gzip", head.decompressor().name());
    long remaining = head.deadline().timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(remaining > 0 && remaining <= 3000, "remaining " + remaining + " ms");
  }

  @Test
  void withoutTimeoutOrEncodingThereIsNoDeadlineAndNoDecompressor() throws Exception {
    Http2Headers headers =
        request().set("content-type", "application/grpc").set("grpc-encoding", "identity");
    headers.remove(Http2Headers.PseudoHeaderName.AUTHORITY.value());
    headers.set("host", "h:1");
    RequestHead head = RequestHead.parse(headers, compressors);
    assertNull(head.deadline());
    assertNull(head.encoding());
    assertNull(head.decompressor());
    assertEquals("", head.contentSubtype());
    assertEquals("h:1", head.authority(), "host stands in for a missing :authority");
  }

  @Test
  void eachCheckHasItsResponse() {
    assertRejected(request().method("GET"), 405, Status.Code.INTERNAL, null);
    assertRejected(request().set("content-type", "text/plain"), 415, Status.Code.INTERNAL, null);
    assertRejected(request().path("/"), 404, Status.Code.UNIMPLEMENTED, null);
    assertRejected(request().set("grpc-timeout", "soon"), 200, Status.Code.INTERNAL, null);
    assertRejected(
        request().set("grpc-encoding", "snappy"),
        200,
        Status.Code.UNIMPLEMENTED,
        compressors.acceptEncoding());
  }

  @Test
  void theFirstFailedCheckAnswers() {
    Http2Headers everythingWrong =
        request()
            .method("GET")
            .set("content-type", "text/plain")
            .path("nope")
            .set("grpc-timeout", "soon")
            .set("grpc-encoding", "snappy");
    assertRejected(everythingWrong, 405, Status.Code.INTERNAL, null);
    assertRejected(everythingWrong.method("POST"), 415, Status.Code.INTERNAL, null);
    assertRejected(
        everythingWrong.set("content-type", "application/grpc"),
        404,
        Status.Code.UNIMPLEMENTED,
        null);
    assertRejected(everythingWrong.path("/a/b"), 200, Status.Code.INTERNAL, null);
  }

  private void assertRejected(
      Http2Headers headers, int httpStatus, Status.Code code, String acceptEncoding) {
    RequestRejected r =
        assertThrows(RequestRejected.class, () -> RequestHead.parse(headers, compressors));
    assertEquals(httpStatus, r.httpStatus);
    assertEquals(code, r.status.getCode());
    assertNotNull(r.status.getDescription());
    assertEquals(acceptEncoding, r.acceptEncoding);
    assertEquals(0, r.getStackTrace().length, "a rejection costs no stack trace");
  }
}
