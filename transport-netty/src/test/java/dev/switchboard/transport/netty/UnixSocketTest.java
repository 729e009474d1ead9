package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Status;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.UnixAbstractAddress;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerConnection;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls over Unix domain sockets, real ones: socket files by NIO and by epoll, Linux's abstract
 * namespace by epoll, and what NIO says about the abstract namespace it lacks. Also one TCP call
 * over each implementation. This machine (Linux x86_64) has epoll, so both always run.
 */
class UnixSocketTest {
  @TempDir Path dir;

  private NettyTransportProvider provider;
  private ClientTransportFactory factory;
  private final List<TestServer> servers = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();

  private void use(String sockets) {
    provider = new NettyTransportProvider(null, sockets);
    assertEquals(sockets.equals("epoll"), provider.channels().isEpoll());
    factory = TestClient.factory(provider);
  }

  private TestServer listen(SocketAddress address) throws IOException {
    TestServer server = TestServer.start(provider, address);
    servers.add(server);
    return server;
  }

  private Connection connect(SocketAddress address) throws Exception {
    Connection c = TestClient.connectNoWait(factory, address, Duration.ofSeconds(5));
    connections.add(c);
    c.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return c;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Connection c : connections) {
      c.transport().shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    for (TestServer server : servers) {
      server.close();
      server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    if (factory != null) {
      factory.close();
      assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
  }

  /** One echo call over {@code c}, checked end to end; returns the server's side of the call. */
  private static TestServer.Call echo(Connection c, TestServer server) throws Exception {
    Call call = c.call("test/Echo").unary("ping".getBytes(StandardCharsets.UTF_8), 2);
    assertArrayEquals("ping".getBytes(StandardCharsets.UTF_8), call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
    TestServer.Call sc = server.nextCall();
    assertCode(Status.OK, sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    return sc;
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void callsOverASocketFileWhichTheServerRemovesWhenItStops(String sockets) throws Exception {
    use(sockets);
    Path file = dir.resolve("grpc.sock");
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
    TestServer server = listen(address);
    assertEquals(List.of(address), server.transport.listenAddresses());
    assertTrue(Files.exists(file), "socket file made by bind");
    assertTrue(
        factory.describe().contains("sockets by " + (sockets.equals("nio") ? "NIO" : "epoll")),
        factory.describe());

    Connection c = connect(address);
    TestServer.Call sc = echo(c, server);

    Attributes clientAttrs = c.transport().attributes();
    assertEquals(address, clientAttrs.get(TransportAttributes.REMOTE_ADDRESS));
    assertInstanceOf(
        UnixDomainSocketAddress.class, clientAttrs.get(TransportAttributes.LOCAL_ADDRESS));
    Attributes serverAttrs = sc.stream.attributes();
    assertEquals(address, serverAttrs.get(TransportAttributes.LOCAL_ADDRESS));
    // The client's socket is unnamed: its address has an empty path.
    assertEquals(
        UnixDomainSocketAddress.of(""), serverAttrs.get(TransportAttributes.REMOTE_ADDRESS));

    c.shutdownAndAwait();
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertFalse(Files.exists(file), "socket file left behind after the server stopped");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void aFileAlreadyThereIsNotRemovedAndBindingSaysSo(String sockets) throws Exception {
    use(sockets);
    Path file = Files.writeString(dir.resolve("taken.sock"), "not a socket");
    IOException e = assertThrows(IOException.class, () -> listen(UnixDomainSocketAddress.of(file)));
    assertTrue(e.getMessage().contains("failed to bind"), e.getMessage());
    assertTrue(e.getMessage().contains("it is not removed automatically"), e.getMessage());
    assertEquals("not a socket", Files.readString(file));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void aMissingSocketFileFailsTheConnectionWithUnavailable(String sockets) throws Exception {
    use(sockets);
    UnixDomainSocketAddress nowhere = UnixDomainSocketAddress.of(dir.resolve("nobody.sock"));
    Connection c = TestClient.connectNoWait(factory, nowhere, Duration.ofSeconds(5));
    connections.add(c);
    Status status = c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertCode(Status.UNAVAILABLE, status);
    assertTrue(status.getDescription().contains("nobody.sock"), status.getDescription());
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void tcpOnLoopback(String sockets) throws Exception {
    use(sockets);
    TestServer server = listen(new InetSocketAddress("127.0.0.1", 0));
    Connection c = connect(server.address());
    TestServer.Call sc = echo(c, server);
    assertEquals(
        server.address(), c.transport().attributes().get(TransportAttributes.REMOTE_ADDRESS));
    assertInstanceOf(
        InetSocketAddress.class, sc.stream.attributes().get(TransportAttributes.REMOTE_ADDRESS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void tlsOverASocketFile(String sockets) throws Exception {
    use(sockets);
    TestCertificates.Ca ca = TestCertificates.ca("uds CA");
    TestCertificates.Identity id = TestCertificates.server(ca);
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("tls.sock"));
    TestServer server =
        TestServer.start(
            provider,
            address,
            TlsCredentials.newBuilder().keyPair(id.chainPem(), id.pkcs8Pem()).build(),
            1 << 20,
            Duration.ofSeconds(10));
    servers.add(server);
    factory.close();
    // The authority's host (localhost) is checked against the server's certificate.
    factory =
        provider.newClientTransportFactory(
            TlsCredentials.newBuilder().rootCertificates(ca.pem()).build());
    Connection c = connect(address);
    echo(c, server);
    assertEquals("h2", c.transport().attributes().get(TransportAttributes.APPLICATION_PROTOCOL));
    assertEquals(address, c.transport().attributes().get(TransportAttributes.REMOTE_ADDRESS));
  }

  @Test
  void abstractNamespaceOverEpoll() throws Exception {
    use("epoll");
    UnixAbstractAddress address = UnixAbstractAddress.of("switchboard-test-" + UUID.randomUUID());
    TestServer server = listen(address);
    assertEquals(List.of(address), server.transport.listenAddresses());
    // Linux lists abstract sockets with a leading '@': the name is there, not a path.
    assertTrue(
        Files.readString(Path.of("/proc/net/unix")).contains("@" + address.name()),
        "abstract socket not in /proc/net/unix");

    Connection c = connect(address);
    TestServer.Call sc = echo(c, server);
    assertEquals(address, c.transport().attributes().get(TransportAttributes.REMOTE_ADDRESS));
    assertEquals(address, sc.stream.attributes().get(TransportAttributes.LOCAL_ADDRESS));
    ServerConnection connection = server.nextConnection();
    assertEquals(address, connection.attributes().get(TransportAttributes.LOCAL_ADDRESS));

    // The name is taken while the server listens, and free again once it stops.
    IOException taken = assertThrows(IOException.class, () -> listen(address));
    assertTrue(taken.getMessage().contains("failed to bind " + address), taken.getMessage());
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    listen(address);
  }

  @Test
  void abstractNamespaceWithoutEpollFailsSayingWhy() throws Exception {
    use("nio");
    UnixAbstractAddress address = UnixAbstractAddress.of("switchboard-test-" + UUID.randomUUID());

    IOException e = assertThrows(IOException.class, () -> listen(address));
    assertTrue(e.getMessage().contains("needs Netty's epoll transport"), e.getMessage());

    Connection c = TestClient.connectNoWait(factory, address, Duration.ofSeconds(5));
    connections.add(c);
    Status status = c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertCode(Status.UNAVAILABLE, status);
    assertTrue(
        status.getDescription().contains("needs Netty's epoll transport"), status.getDescription());
  }
}
