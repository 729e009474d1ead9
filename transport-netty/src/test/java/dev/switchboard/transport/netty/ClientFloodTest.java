package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.FlowControl;
import dev.switchboard.api.FrameLimits;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.transport.netty.RawHttp2Connection.Frame;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A hostile server floods the client transport with frames it must answer, and never reads. */
class ClientFloodTest {
  /** Far more frames than the limit lets through: the socket buffers on loopback hold ~500k. */
  private static final int FLOOD_FRAMES = 3_000_000;

  private static final int BATCH = 1000;

  private NettyTransportProvider provider;
  private ClientTransportFactory factory;
  private ServerSocket serverSocket;

  @BeforeEach
  void setUp() throws Exception {
    provider = new NettyTransportProvider();
    factory = TestClient.factory(provider);
    serverSocket = new ServerSocket();
    serverSocket.setReceiveBufferSize(1024); // accepted sockets inherit it: the server never reads
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
  }

  @AfterEach
  void tearDown() throws Exception {
    serverSocket.close();
    factory.close();
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void pingFloodFromAServerThatNeverReadsClosesTheConnection() throws Exception {
    Connection client =
        TestClient.connectNoWait(
            factory,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort()),
            Duration.ofSeconds(5));
    try (RawHttp2Connection server = RawHttp2Connection.accept(serverSocket, false)) {
      client.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      byte[] ping = RawHttp2Connection.frame(RawHttp2Connection.PING, 0, 0, new byte[8]);
      byte[] batch = new byte[ping.length * BATCH];
      for (int i = 0; i < BATCH; i++) {
        System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
      }
      int sent = 0;
      try {
        while (sent < FLOOD_FRAMES) {
          server.writeBytes(batch);
          sent += BATCH;
        }
      } catch (IOException expected) {
        // the client closed the connection
      }
      assertTrue(sent < FLOOD_FRAMES, "the client answered all " + sent + " PINGs and kept going");
      Status shutdown = client.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertTrue(shutdown.getCode() == Status.Code.UNAVAILABLE, shutdown.toString());
      client.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void emptyDataFloodFromTheServerIsAnsweredWithEnhanceYourCalm() throws Exception {
    Connection client = connect(FrameLimits.DEFAULT);
    try (RawHttp2Connection server = RawHttp2Connection.accept(serverSocket, false)) {
      client.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Call call = client.call("test/Any");
      int stream = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
      server.writeHeaders(stream, responseHeaders(), false);
      // One more than the default limit of 2.
      for (int i = 0; i < 3; i++) {
        server.writeData(stream, new byte[0], false);
      }
      Frame goAway = server.awaitFrame(RawHttp2Connection.GOAWAY);
      assertEquals(
          Http2Error.ENHANCE_YOUR_CALM.code(), ByteBuffer.wrap(goAway.payload()).getInt(4));
      Status failed = call.awaitClosed().status();
      assertEquals(Status.Code.INTERNAL, failed.getCode(), failed.toString());
      assertTrue(failed.getDescription().contains("empty data"), failed.toString());
      client.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void emptyDataLimitIsASetting() throws Exception {
    Connection client = connect(FrameLimits.DEFAULT.withMaxConsecutiveEmptyDataFrames(8));
    try (RawHttp2Connection server = RawHttp2Connection.accept(serverSocket, false)) {
      client.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Call call = client.call("test/Any");
      call.stream().request(1);
      int stream = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
      server.writeHeaders(stream, responseHeaders(), false);
      for (int i = 0; i < 8; i++) {
        server.writeData(stream, new byte[0], false);
      }
      server.writeData(stream, new byte[] {0, 0, 0, 0, 1, 42}, false);
      server.writeHeaders(stream, new DefaultHttp2Headers().add("grpc-status", "0"), true);
      assertArrayEquals(new byte[] {42}, call.listener().nextMessage());
      assertEquals(Status.Code.OK, call.awaitClosed().status().getCode());
      assertEquals(-1, server.goAwayErrorCode, "no GOAWAY");
      client.transport().shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      client.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private Connection connect(FrameLimits limits) {
    ClientTransportOptions defaults = TestClient.options(Duration.ofSeconds(5));
    return TestClient.connectNoWait(
        factory,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort()),
        new ClientTransportOptions(
            defaults.authority(),
            defaults.userAgent(),
            defaults.connectTimeout(),
            defaults.maxInboundMetadataSize(),
            defaults.compressorRegistry(),
            defaults.addressAttributes(),
            ClientKeepalive.DISABLED,
            FlowControl.DEFAULT,
            limits));
  }

  private static Http2Headers responseHeaders() {
    Http2Headers h = new DefaultHttp2Headers().status("200");
    h.add("content-type", "application/grpc");
    return h;
  }
}
