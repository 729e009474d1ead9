package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.transport.netty.RawHttp2Connection.Response;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed input against the server transport, from a raw frame-level client. After each, the same
 * server must still serve a normal call on a new connection.
 */
class ServerBadInputTest {
  private NettyTransportProvider provider;
  private ClientTransportFactory factory;
  private TestServer server;

  @BeforeEach
  void setUp() throws Exception {
    provider = new NettyTransportProvider();
    factory = TestClient.factory(provider);
    server = TestServer.start(provider, 1 << 20, Duration.ofMillis(1500));
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    factory.close();
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void wrongContentTypeGets415() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo").set("content-type", "application/json"), true);
      Response r = raw.readResponse(1);
      assertEquals("415", r.header(":status"));
      assertEquals("13", r.header("grpc-status"));
      assertTrue(r.header("grpc-message").contains("application/json"));
    }
    assertTrue(server.calls.isEmpty(), "the core never saw the stream");
    assertServerStillServes();
  }

  @Test
  void nonPostMethodGets405() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo").method("GET"), true);
      assertEquals("405", raw.readResponse(1).header(":status"));
    }
    assertServerStillServes();
  }

  @Test
  void malformedLengthPrefixIsInternal() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo"), false);
      raw.writeData(1, new byte[] {2, 0, 0, 0, 1, 9}, true);
      Response r = raw.readResponse(1);
      assertEquals("200", r.header(":status"), "trailers-only");
      assertEquals("13", r.header("grpc-status"));
      assertTrue(r.header("grpc-message").contains("compressed flag"), r.header("grpc-message"));
    }
    assertCode(Status.INTERNAL, server.nextCall().closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertServerStillServes();
  }

  @Test
  void messageLongerThanSentBeforeEndStreamIsInternal() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo"), false);
      raw.writeData(1, new byte[] {0, 0, 0, 0, 100, 1, 2, 3}, true);
      Response r = raw.readResponse(1);
      assertEquals("13", r.header("grpc-status"));
      assertTrue(r.header("grpc-message").contains("mid-frame"), r.header("grpc-message"));
    }
    assertCode(Status.INTERNAL, server.nextCall().closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertServerStillServes();
  }

  @Test
  void oversizeRequestMessageIsResourceExhaustedBeforeItArrives() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo"), false);
      // Claims 2 MiB against a 1 MiB limit; only the prefix is ever sent.
      raw.writeData(1, new byte[] {0, 0, 0x20, 0, 0}, false);
      Response r = raw.readResponse(1);
      assertEquals("8", r.header("grpc-status"));
    }
    assertCode(
        Status.RESOURCE_EXHAUSTED, server.nextCall().closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertServerStillServes();
  }

  @Test
  void badGrpcTimeoutIsInternal() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo").set("grpc-timeout", "soon"), true);
      Response r = raw.readResponse(1);
      assertEquals("200", r.header(":status"));
      assertEquals("13", r.header("grpc-status"));
      assertEquals("invalid grpc-timeout: 'soon'", r.header("grpc-message"));
    }
    assertTrue(server.calls.isEmpty());
    assertServerStillServes();
  }

  @Test
  void unknownGrpcEncodingIsUnimplementedWithAcceptEncoding() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo").set("grpc-encoding", "br"), false);
      Response r = raw.readResponse(1);
      assertEquals("12", r.header("grpc-status"));
      assertTrue(r.header("grpc-accept-encoding").contains("gzip"));
      // The client was still sending: the server asks it to stop.
      Response after = raw.readResponse(1);
      assertEquals(Http2Error.NO_ERROR.code(), after.resetCode());
    }
    assertServerStillServes();
  }

  @Test
  void oversizedHeaderBlockGets431() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo").set("x-big", "a".repeat(9000)), true);
      Response r = raw.readResponse(1);
      assertEquals("431", r.header(":status"));
      assertEquals("8", r.header("grpc-status"));
      // The connection is still usable.
      raw.writeHeaders(3, request("test/Echo"), false);
      raw.writeData(3, grpcFrame("hi"), true);
      assertEquals("0", raw.readResponse(3).header("grpc-status"));
    }
    assertServerStillServes();
  }

  @Test
  void streamErrorsLeaveTheConnectionUsable() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Echo").set("content-type", "text/plain"), true);
      assertEquals("415", raw.readResponse(1).header(":status"));
      raw.writeHeaders(3, request("test/Echo"), false);
      raw.writeData(3, grpcFrame("hi"), true);
      Response ok = raw.readResponse(3);
      assertEquals("200", ok.header(":status"));
      assertEquals("0", ok.header("grpc-status"));
      assertArrayEquals(grpcFrame("hi"), ok.data());
    }
  }

  @Test
  void unknownFrameTypesAreIgnored() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeFrame(0x7a, 0xff, 0, new byte[] {1, 2, 3, 4});
      raw.writeFrame(0x7b, 0, 1, new byte[100]);
      raw.writeHeaders(1, request("test/Echo"), false);
      raw.writeFrame(0x7c, 0, 1, new byte[] {9});
      raw.writeData(1, grpcFrame("hi"), true);
      Response ok = raw.readResponse(1);
      assertEquals("0", ok.header("grpc-status"));
    }
  }

  @Test
  void protocolErrorClosesOnlyThatConnection() throws Exception {
    Connection bystander = TestClient.connect(factory, server.address());
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeData(0, new byte[] {1, 2, 3}, false); // DATA on stream 0: connection error
      assertTrue(raw.closedByPeer());
    }
    // Another connection opened before is unaffected.
    Call call = bystander.call("test/Echo").unary("ok".getBytes(StandardCharsets.UTF_8), 1);
    assertCode(Status.OK, call.awaitClosed().status());
    bystander.shutdownAndAwait();
    assertServerStillServes();
  }

  @Test
  void junkInsteadOfPrefaceClosesOnlyThatConnection() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address())) {
      raw.writeBytes(
          "GET / HTTP/1.1\r\nHost: example\r\n\r\nnot http/2 at all"
              .getBytes(StandardCharsets.US_ASCII));
      assertTrue(raw.closedByPeer());
    }
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address())) {
      raw.writeBytes(
          new byte[] {
            (byte) 0xde,
            (byte) 0xad,
            (byte) 0xbe,
            (byte) 0xef,
            0,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            11,
            12,
            13,
            14,
            15,
            16,
            17,
            18,
            19,
            20,
            21,
            22,
            23
          });
      assertTrue(raw.closedByPeer());
    }
    assertServerStillServes();
  }

  @Test
  void silentConnectionIsClosedAfterHandshakeTimeout() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address())) {
      assertTrue(raw.closedByPeer(), "server should give up on a client that says nothing");
    }
    assertTrue(server.connectionTerminated.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertServerStillServes();
  }

  @Test
  void requestHeadersMissingPathGet404() throws Exception {
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      Http2Headers h = request("test/Echo");
      h.path("nopath");
      raw.writeHeaders(1, h, true);
      Response r = raw.readResponse(1);
      assertEquals("404", r.header(":status"));
      assertEquals("12", r.header("grpc-status"));
    }
    assertServerStillServes();
  }

  // ---- helpers ----

  private static Http2Headers request(String method) {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.method("POST").scheme("http").path("/" + method).authority("raw.test");
    h.add("content-type", "application/grpc");
    h.add("te", "trailers");
    return h;
  }

  private static byte[] grpcFrame(String message) {
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageDeframerTest.writeFrame(out, 0, body);
    return out.toByteArray();
  }

  /** A normal call on a fresh connection still works. */
  private void assertServerStillServes() throws Exception {
    Connection c = TestClient.connect(factory, server.address());
    try {
      Call call = c.call("test/Echo").unary("alive?".getBytes(StandardCharsets.UTF_8), 1);
      assertArrayEquals("alive?".getBytes(StandardCharsets.UTF_8), call.listener().nextMessage());
      assertCode(Status.OK, call.awaitClosed().status());
      assertNotNull(call.listener().headers.getNow(null));
      assertNull(call.listener().messages.poll());
    } finally {
      c.shutdownAndAwait();
    }
  }
}
