package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.transport.netty.TestClient.Connection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
}
