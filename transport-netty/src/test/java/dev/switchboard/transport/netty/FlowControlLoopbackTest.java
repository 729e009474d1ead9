package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.FlowControl;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our client and server over 127.0.0.1, 16 MiB of responses on one call: with auto-tuning the
 * client's stream window (as the server applies it) grows from the smallest one, without the
 * server's PING policy objecting; without, it stays.
 */
class FlowControlLoopbackTest {
  private static final int MIB = 1 << 20;

  private NettyTransportProvider provider;
  private ClientTransportFactory factory;
  private TestServer server;
  private Connection client;

  @BeforeEach
  void setUp() throws Exception {
    provider = new NettyTransportProvider();
    factory = TestClient.factory(provider);
    server = TestServer.start(provider, TestServer.options(FlowControl.DEFAULT));
  }

  @AfterEach
  void tearDown() throws Exception {
    client.shutdownAndAwait();
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    factory.close();
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void windowsGrowDuringALargeTransfer() throws Exception {
    FlowControl small =
        FlowControl.newBuilder()
            .initialStreamWindow(FlowControl.MIN_WINDOW)
            .initialConnectionWindow(FlowControl.MIN_WINDOW)
            .build();
    int window = transferAndGetClientWindow(small);
    assertTrue(window >= 2 * FlowControl.MIN_WINDOW, "window " + window);
    assertTrue(window <= FlowControl.DEFAULT_MAX_WINDOW, "window " + window);
    assertFalse(client.listener().shutdown.isDone(), "the server sent GOAWAY");
  }

  @Test
  void windowsStayWithoutAutoTuning() throws Exception {
    assertEquals(
        FlowControl.MIN_WINDOW,
        transferAndGetClientWindow(FlowControl.fixed(FlowControl.MIN_WINDOW)));
  }

  /** Streams 16 MiB to the client, then reads the client's stream window the server applies. */
  private int transferAndGetClientWindow(FlowControl flowControl) throws Exception {
    client = TestClient.connectNoWait(factory, server.address(), TestClient.options(flowControl));
    client.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Call call =
        client
            .call("test/Stream")
            .unary(ByteBuffer.allocate(8).putInt(16).putInt(MIB).array(), 100);
    long bytes = 0;
    for (int i = 0; i < 16; i++) {
      bytes += call.listener().nextMessage().length;
    }
    assertCode(Status.OK, call.awaitClosed().status());
    assertTrue(bytes >= 16L * MIB);
    ServerHandler handler = ((NettyServerConnection) server.nextConnection()).handler();
    return handler
        .context()
        .executor()
        .submit(() -> handler.encoder().flowController().initialWindowSize())
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
