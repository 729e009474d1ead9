package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.transport.netty.TestClient.Connection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared set-up for client transport against server transport over 127.0.0.1. */
abstract class AbstractLoopbackTest {
  static final int MIB = 1024 * 1024;

  NettyTransportProvider provider;
  ClientTransportFactory factory;
  TestServer server;
  final List<Connection> connections = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    provider = newProvider();
    factory = TestClient.factory(provider);
    server = TestServer.start(provider, 4 * MIB);
  }

  /** The provider under test: sockets by epoll where it is available (see LoopbackOverNioTest). */
  NettyTransportProvider newProvider() {
    return new NettyTransportProvider();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Connection c : connections) {
      c.transport().shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    factory.close();
    assertTrue(
        provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS),
        "event loop group still in use after everything was closed");
    assertTrue(provider.eventLoops().lastTermination().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  Connection connect() throws Exception {
    Connection c = TestClient.connect(factory, server.address());
    connections.add(c);
    return c;
  }

  void restartServer(int maxInboundMessageSize) throws Exception {
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    server = TestServer.start(provider, maxInboundMessageSize);
  }

  void restartServer(ServerTransportOptions options) throws Exception {
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    server = TestServer.start(provider, options);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
