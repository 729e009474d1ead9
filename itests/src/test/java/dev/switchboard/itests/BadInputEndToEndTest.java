package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.clientconn.ClientConns;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Peers that break the protocol get a clear answer, and the server keeps serving everyone else:
 * after each bad exchange a well-behaved channel still completes a call.
 */
class BadInputEndToEndTest {
  private static final String UNARY_PATH = "/" + EchoService.UNARY.getFullMethodName();
  private final EchoService service = new EchoService("robust");
  private Server server;
  private ClientConn conn;
  private RawHttp2Client raw;

  @BeforeEach
  void setUp() throws Exception {
    server = Loopback.start(service);
    conn = ClientConns.newClient(Loopback.target(server), Loopback.insecure().build());
    raw = new RawHttp2Client();
    assertServes(); // the channel is connected before the bad peer arrives
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      assertServes();
    } finally {
      raw.close();
      conn.close();
      server.shutdownNow();
    }
  }

  private void assertServes() throws Exception {
    assertEquals(
        "ok", Loopback.unary(conn, EchoService.UNARY, str("ok"), CallOptions.DEFAULT).getValue());
  }

  private static byte[] validMessage() {
    return RawHttp2Client.frame(0, str("x").getSerializedSize(), str("x").toByteArray());
  }

  @Test
  void wrongContentTypeGets415() throws Exception {
    Http2Headers h =
        RawHttp2Client.grpcHeaders(server.port(), UNARY_PATH).set("content-type", "text/plain");
    RawHttp2Client.Response r = raw.exchange(server.port(), h, validMessage());
    assertEquals("415", r.httpStatus());
  }

  @Test
  void malformedLengthPrefixIsInternal() throws Exception {
    byte[] bad = RawHttp2Client.frame(7, 1, new byte[] {1}); // compressed flag must be 0 or 1
    RawHttp2Client.Response r =
        raw.exchange(server.port(), RawHttp2Client.grpcHeaders(server.port(), UNARY_PATH), bad);
    assertEquals(13, r.grpcStatus(), "INTERNAL: " + r);
  }

  @Test
  void messageClaimingMoreBytesThanSentIsInternal() throws Exception {
    byte[] truncated = RawHttp2Client.frame(0, 100, new byte[10]);
    RawHttp2Client.Response r =
        raw.exchange(
            server.port(), RawHttp2Client.grpcHeaders(server.port(), UNARY_PATH), truncated);
    assertEquals(13, r.grpcStatus(), "INTERNAL: " + r);
  }

  @Test
  void badGrpcTimeoutGetsAnErrorStatus() throws Exception {
    Http2Headers h =
        RawHttp2Client.grpcHeaders(server.port(), UNARY_PATH).set("grpc-timeout", "soon");
    RawHttp2Client.Response r = raw.exchange(server.port(), h, validMessage());
    Integer status = r.grpcStatus();
    assertTrue(status != null && status != 0, "a non-OK grpc-status: " + r);
  }

  @Test
  void unknownMethodIsUnimplemented() throws Exception {
    RawHttp2Client.Response r =
        raw.exchange(
            server.port(),
            RawHttp2Client.grpcHeaders(server.port(), "/switchboard.test.Echo/Missing"),
            validMessage());
    assertEquals(12, r.grpcStatus(), "UNIMPLEMENTED: " + r);
  }

  @Test
  void undecodableRequestIsAnErrorStatus() throws Exception {
    byte[] garbage = RawHttp2Client.frame(0, 3, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    RawHttp2Client.Response r =
        raw.exchange(server.port(), RawHttp2Client.grpcHeaders(server.port(), UNARY_PATH), garbage);
    Integer status = r.grpcStatus();
    assertTrue(status != null && status != 0, "a non-OK grpc-status: " + r);
  }

  @Test
  void junkInsteadOfThePrefaceClosesOnlyThatConnection() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          "GET / HTTP/1.1\r\nHost: x\r\n\r\n\u0000\u0001garbage garbage garbage"
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int total = 0;
      int n;
      while ((n = in.read(buf)) >= 0) { // the server must close the connection
        total += n;
        assertTrue(total < 1 << 20, "server kept talking");
      }
    }
  }
}
