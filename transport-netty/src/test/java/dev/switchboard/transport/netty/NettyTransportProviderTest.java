package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.TransportProvider;
import dev.switchboard.api.transport.TransportRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyTransportProviderTest {
  @Test
  void describesItself() {
    NettyTransportProvider provider = new NettyTransportProvider();
    assertEquals("netty", provider.name());
    assertEquals(5, provider.priority());
    assertTrue(provider.isAvailable());
    assertEquals(0, provider.eventLoops().refCount(), "the constructor allocates nothing");
  }

  @Test
  void foundByServiceLoaderAndRegistry() {
    boolean found = false;
    for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
      found |= p instanceof NettyTransportProvider;
    }
    assertTrue(found, "META-INF/services entry");
    assertInstanceOf(
        NettyTransportProvider.class, TransportRegistry.getDefaultRegistry().lookup("netty"));
  }

  @Test
  void refusesMissingCredentialsAndAddresses() {
    NettyTransportProvider provider = new NettyTransportProvider();
    assertThrows(NullPointerException.class, () -> provider.newClientTransportFactory(null));
    assertThrows(
        IllegalArgumentException.class, () -> provider.newServerTransport(options(List.of())));
    assertEquals(0, provider.eventLoops().refCount());
  }

  @Test
  void eventLoopGroupIsSharedDaemonNamedAndReleasedByLastUser() throws Exception {
    NettyTransportProvider provider = new NettyTransportProvider();
    ClientTransportFactory a = provider.newClientTransportFactory(TransportCredentials.insecure());
    ClientTransportFactory b = provider.newClientTransportFactory(TransportCredentials.insecure());
    assertEquals(2, provider.eventLoops().refCount());
    EventLoopGroup group = provider.eventLoops().acquire();
    Thread thread = group.submit(Thread::currentThread).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertTrue(thread.getName().startsWith("switchboard-netty-"), thread.getName());
    assertTrue(thread.isDaemon());
    provider.eventLoops().release(group);
    a.close();
    a.close(); // idempotent
    assertEquals(1, provider.eventLoops().refCount());
    assertFalse(group.isShuttingDown());
    b.close();
    assertEquals(0, provider.eventLoops().refCount());
    assertTrue(group.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertThrows(
        IllegalStateException.class,
        () -> a.newClientTransport(new InetSocketAddress(1), TestClient.options(Duration.ZERO)));
  }

  @Test
  void serverBindsPortZeroToARealPortAndReleasesOnShutdown() throws Exception {
    NettyTransportProvider provider = new NettyTransportProvider();
    TestServer server = TestServer.start(provider, 1024);
    int port = server.address().getPort();
    assertNotEquals(0, port);
    assertEquals(1, provider.eventLoops().refCount());
    assertFalse(
        provider.eventLoops().awaitTermination(0, TimeUnit.SECONDS), "in use by the server");
    server.transport.shutdown();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertTrue(provider.eventLoops().lastTermination().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertTrue(provider.eventLoops().awaitTermination(0, TimeUnit.SECONDS));
    provider.deactivate(); // returns at once: nothing left to wait for
  }

  @Test
  void bindFailureIsIoExceptionAndReleasesTheGroup() throws Exception {
    NettyTransportProvider provider = new NettyTransportProvider();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ServerTransport transport =
          provider.newServerTransport(
              options(List.of(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))));
      assertThrows(IOException.class, () -> transport.start(new TestServerListenerStub()));
    }
    assertEquals(0, provider.eventLoops().refCount());
  }

  private static ServerTransportOptions options(List<java.net.SocketAddress> addresses) {
    return new ServerTransportOptions(
        addresses,
        TransportCredentials.insecure(),
        1024,
        8192,
        10,
        Duration.ofSeconds(1),
        new CompressorRegistry());
  }

  /** Accepts nothing; only for start() failures. */
  private static final class TestServerListenerStub
      implements dev.switchboard.api.transport.ServerTransportListener {
    @Override
    public dev.switchboard.api.transport.ServerConnectionListener connectionCreated(
        dev.switchboard.api.transport.ServerConnection connection) {
      throw new AssertionError("no connection expected");
    }

    @Override
    public void serverShutdown() {}
  }
}
