package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.FlowControl;
import dev.switchboard.transport.netty.RawHttp2Connection.Frame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's PING policy (5 minutes between PINGs while calls are open, by default) against a
 * client that PINGs the way a BDP estimator does: once per round trip, each time after receiving
 * DATA. One large response message is queued at once and trickles out as the client grants window,
 * so only counting the DATA frames actually written (not the message queued) forgives each PING.
 */
class BdpPingPolicyTest {
  private static final int WINDOW_UPDATE = 0x8;
  private static final int GRANT = 16 * 1024;

  private NettyTransportProvider provider;
  private TestServer server;
  private RawHttp2Connection raw;

  @BeforeEach
  void setUp() throws Exception {
    provider = new NettyTransportProvider();
    server = TestServer.start(provider, TestServer.options(FlowControl.DEFAULT));
    raw = RawHttp2Connection.open(server.address()).handshake();
    Http2Headers request = new DefaultHttp2Headers(false);
    request.method("POST").scheme("http").path("/test/Stream").authority("raw.test");
    request.add("content-type", "application/grpc");
    raw.writeHeaders(1, request, false);
    // test/Stream: one 1 MiB response message.
    raw.writeData(
        1,
        ByteBuffer.allocate(13).put((byte) 0).putInt(8).putInt(1).putInt(1 << 20).array(),
        false);
  }

  @AfterEach
  void tearDown() throws Exception {
    raw.close();
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aPingAfterEachDataFrameWrittenNeverStrikes() throws Exception {
    long granted = FlowControl.MIN_WINDOW; // the HTTP/2 default windows of our raw client
    long received = 0;
    for (int round = 1; round <= 8; round++) {
      while (received < granted) {
        Frame f = readNoGoAway();
        if (f.type() == RawHttp2Connection.DATA) {
          received += f.payload().length;
        }
      }
      ping(round);
      raw.writeFrame(WINDOW_UPDATE, 0, 1, ByteBuffer.allocate(4).putInt(GRANT).array());
      raw.writeFrame(WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(GRANT).array());
      granted += GRANT;
    }
  }

  @Test
  void pingsWithoutDataInBetweenStrike() throws Exception {
    long received = 0;
    while (received < FlowControl.MIN_WINDOW) {
      Frame f = readNoGoAway();
      if (f.type() == RawHttp2Connection.DATA) {
        received += f.payload().length;
      }
    }
    for (int round = 1; round <= 3; round++) {
      ping(round); // the first is fine, then strikes 1 and 2
    }
    raw.writeFrame(RawHttp2Connection.PING, 0, 0, ByteBuffer.allocate(8).putLong(4).array());
    Frame f;
    while ((f = raw.readFrame()).type() != RawHttp2Connection.GOAWAY) {
      // the acknowledgement may come first
    }
    assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), ByteBuffer.wrap(f.payload(), 4, 4).getInt());
  }

  /** Sends a PING and reads up to its acknowledgement. */
  private void ping(long data) throws IOException {
    raw.writeFrame(RawHttp2Connection.PING, 0, 0, ByteBuffer.allocate(8).putLong(data).array());
    Frame f;
    do {
      f = readNoGoAway();
    } while (f.type() != RawHttp2Connection.PING
        || (f.flags() & RawHttp2Connection.ACK) == 0
        || ByteBuffer.wrap(f.payload()).getLong() != data);
  }

  private Frame readNoGoAway() throws IOException {
    Frame f = raw.readFrame();
    assertNotEquals(RawHttp2Connection.GOAWAY, f.type(), "the server sent GOAWAY");
    return f;
  }
}
