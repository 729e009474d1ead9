package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcHeadersTest {
  @Test
  void requestHeadersCarryProtocolThenMetadata() {
    Metadata md =
        new Metadata().put("x-user", "alice").putBinary("x-token-bin", new byte[] {0, -1, 2});
    Http2Headers h =
        GrpcHeaders.requestHeaders(
            "/pkg.Svc/Method",
            "example.com:443",
            GrpcHeaders.contentType("json"),
            "switchboard/0.1",
            "100m",
            "gzip",
            "gzip,identity",
            0,
            md);
    assertEquals("POST", h.method().toString());
    assertEquals("http", h.scheme().toString());
    assertEquals("/pkg.Svc/Method", h.path().toString());
    assertEquals("example.com:443", h.authority().toString());
    assertEquals("application/grpc+json", h.get("content-type").toString());
    assertEquals("trailers", h.get("te").toString());
    assertEquals("switchboard/0.1", h.get("user-agent").toString());
    assertEquals("100m", h.get("grpc-timeout").toString());
    assertEquals("gzip", h.get("grpc-encoding").toString());
    assertEquals("gzip,identity", h.get("grpc-accept-encoding").toString());
    assertEquals("alice", h.get("x-user").toString());
    assertEquals("AP8C", h.get("x-token-bin").toString());
  }

  @Test
  void protoCodecUsesPlainContentType() {
    assertEquals("application/grpc", GrpcHeaders.contentType("proto").toString());
  }

  @Test
  void metadataRoundTripDropsReservedAndInvalid() {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.status("200");
    h.add("content-type", "application/grpc");
    h.add("grpc-encoding", "gzip");
    h.add("grpc-status", "0");
    h.add("te", "trailers");
    h.add("x-a", "1");
    h.add("x-a", "2");
    h.add("x-b-bin", "AQI"); // unpadded
    h.add("x-c-bin", "AQ==,Ag==");
    h.add("x-bad-bin", "!!!not base64");
    h.add("x-ctl", "bad\u0001value");
    h.add("BadKey", "v");
    h.add("user-agent", "curl");
    Metadata md = GrpcHeaders.toMetadata(h);
    assertEquals(List.of("1", "2"), md.getAll("x-a"));
    assertArrayEquals(new byte[] {1, 2}, md.getBinary("x-b-bin"));
    List<byte[]> c = md.getAllBinary("x-c-bin");
    assertEquals(2, c.size());
    assertArrayEquals(new byte[] {1}, c.get(0));
    assertArrayEquals(new byte[] {2}, c.get(1));
    assertFalse(md.containsKey("x-bad-bin"));
    assertFalse(md.containsKey("x-ctl"));
    assertFalse(md.containsKey("grpc-encoding"));
    assertFalse(md.containsKey("grpc-status"));
    assertFalse(md.containsKey("content-type"));
    assertFalse(md.containsKey("te"));
    assertFalse(md.containsKey(":status"));
    assertEquals("curl", md.get("user-agent"));
  }

  @Test
  void binaryValuesRoundTripThroughHeaders() {
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    Metadata md = new Metadata().putBinary("x-all-bin", value).put("x-text", "hi there");
    Http2Headers h = GrpcHeaders.responseHeaders(null, "identity", md);
    Metadata back = GrpcHeaders.toMetadata(h);
    assertArrayEquals(value, back.getBinary("x-all-bin"));
    assertEquals("hi there", back.get("x-text"));
  }

  @Test
  void unicodeStatusMessageRoundTrips() {
    String message = "héllo wörld ✓ 日本語 🚀 100% done\nnext line";
    Http2Headers h =
        GrpcHeaders.trailers(
            Status.INVALID_ARGUMENT.withDescription(message), new Metadata(), true);
    assertEquals("200", h.status().toString());
    assertEquals("3", h.get("grpc-status").toString());
    String wire = h.get("grpc-message").toString();
    for (int i = 0; i < wire.length(); i++) {
      char ch = wire.charAt(i);
      assertTrue(ch >= 0x20 && ch <= 0x7e, "grpc-message must be printable ASCII: " + wire);
    }
    Status back = StatusMapping.fromTrailersOnly(h);
    assertCode(Status.INVALID_ARGUMENT, back);
    assertEquals(message, back.getDescription());
  }

  @Test
  void trailersWithoutDescriptionHaveNoMessage() {
    Http2Headers h = GrpcHeaders.trailers(Status.OK, new Metadata(), false);
    assertNull(h.status());
    assertEquals("0", h.get("grpc-status").toString());
    assertNull(h.get("grpc-message"));
  }

  @Test
  void contentTypeRecognition() {
    assertTrue(GrpcHeaders.isGrpcContentType("application/grpc"));
    assertTrue(GrpcHeaders.isGrpcContentType("application/grpc+proto"));
    assertTrue(GrpcHeaders.isGrpcContentType("Application/GRPC;charset=utf-8"));
    assertFalse(GrpcHeaders.isGrpcContentType("application/grpcx"));
    assertFalse(GrpcHeaders.isGrpcContentType("application/json"));
    assertFalse(GrpcHeaders.isGrpcContentType(null));
    assertEquals("proto", GrpcHeaders.contentSubtype("application/grpc+proto"));
    assertEquals("json", GrpcHeaders.contentSubtype("application/grpc+json; charset=utf-8"));
    assertEquals("", GrpcHeaders.contentSubtype("application/grpc"));
  }

  @Test
  void reservedApplicationKeysAreNeverSent() {
    // Metadata refuses reserved keys from users; received ones pass through putReceived.
    Metadata md = new Metadata().putReceived("grpc-status", "0").putReceived("x-ok", "1");
    Http2Headers h = GrpcHeaders.trailers(Status.CANCELLED, md, false);
    assertEquals("1", h.get("grpc-status").toString());
    assertEquals(1, h.getAll("grpc-status").size());
    assertEquals("1", h.get("x-ok").toString());
  }

  @Test
  void aRequestSendsItsOwnUserAgentOnlyAndEveryOtherEntryOnce() {
    Metadata md = new Metadata().put("user-agent", "app/1").put("x-a", "1");
    Http2Headers h =
        GrpcHeaders.requestHeaders(
            "/pkg.Svc/M",
            "host:1",
            "application/grpc",
            "switchboard/0.1",
            null,
            null,
            "gzip",
            0,
            md);
    assertEquals(
        List.of("switchboard/0.1"), h.getAll("user-agent").stream().map(Object::toString).toList());
    assertEquals("1", h.get("x-a").toString());
    assertEquals(4 + 5, h.size(), "4 pseudo-headers, content-type, te, user-agent, accept, x-a");
  }
}
