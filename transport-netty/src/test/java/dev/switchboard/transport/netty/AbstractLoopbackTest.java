package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerConnection;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import dev.switchboard.transport.netty.TestClient.RecordingStreamListener.Closed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


/** Shared set-up for client transport against server transport over 127.0.0.1. */
abstract class AbstractLoopbackTest {
  static final int MIB = 1024 * 1024;

  NettyTransportProvider provider;
  ClientTransportFactory factory;
  TestServer server;
  final List<Connection> connections = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    provider = new NettyTransportProvider();
    factory = TestClient.factory(provider);
    server = TestServer.start(provider, 4 * MIB);
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
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS),
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


  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
