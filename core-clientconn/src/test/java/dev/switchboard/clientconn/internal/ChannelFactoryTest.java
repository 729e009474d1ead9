package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.testing.RecordingClientListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Channel creation: targets, built-in resolvers, authority, transport options, blocking. */
class ChannelFactoryTest {
  private final ChannelFixture f = new ChannelFixture();

  @Test
  void hostPortTargetsUsePassthroughAndLookUpOffTheSerializer() {
    ClientConnImpl conn = f.dial("127.0.0.1:5000");
    assertEquals("passthrough", conn.parsedTarget().scheme());
    assertEquals("127.0.0.1:5000", conn.authority());
    conn.connect();
    assertTrue(f.transport.transports.isEmpty(), "lookup waits for the blocking executor");
    assertEquals(1, f.clock.numPendingTasks());
    f.clock.runPendingTasks();
    InetSocketAddress connected = (InetSocketAddress) f.transport.last().address;
    assertTrue(!connected.isUnresolved());
    assertEquals(new InetSocketAddress("127.0.0.1", 5000), connected);
  }

  @Test
  void badPassthroughEndpointIsReported() {
    ClientConnImpl conn = f.dial("passthrough:///host:notaport");
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(Status.Code.UNAVAILABLE, call.status().getCode());
    assertTrue(
        call.status().getDescription().startsWith("invalid passthrough target 'host:notaport'"),
        call.status().getDescription());
  }

  @Test
  void staticSchemeListsAddressesInOrder() {
    ClientConnImpl conn = f.dial("static:///127.0.0.1:1,127.0.0.1:2");
    assertEquals("127.0.0.1:1", conn.authority());
    conn.connect();
    f.clock.runPendingTasks();
    assertEquals(new InetSocketAddress("127.0.0.1", 1), f.transport.last().address);
    f.transport.last().fail(Status.UNAVAILABLE.withDescription("refused"));
    assertEquals(new InetSocketAddress("127.0.0.1", 2), f.transport.last().address);
  }

  @Test
  void addressListOverloadNeedsNoLookupForResolvedAddresses() {
    List<SocketAddress> addresses =
        List.of(new InetSocketAddress("127.0.0.1", 7001), new InetSocketAddress("127.0.0.1", 7002));
    ClientConnImpl conn = ChannelFactory.forAddresses(addresses, f.options().build(), f.env);
    assertEquals("static:///127.0.0.1:7001,127.0.0.1:7002", conn.target());
    assertEquals("127.0.0.1:7001", conn.authority());
    conn.connect();
    assertEquals(0, f.clock.numPendingTasks());
    assertEquals(addresses.get(0), f.transport.last().address);
    assertThrows(
        IllegalArgumentException.class,
        () -> ChannelFactory.forAddresses(List.of(), f.options().build(), f.env));
  }

  @Test
  void registeredResolverSuppliesTheAuthority() {
    assertEquals("svc", f.dial("fake:///svc").authority());
    assertEquals(
        "over.example",
        f.dial("fake:///svc", f.options().authority("over.example").build()).authority());
    assertEquals("endpoint", f.dial("xyz://auth/endpoint").authority());
  }

  @Test
  void transportOptionsCarryAuthorityUserAgentAndLimits() {
    f.readyChannel();
    ClientTransportOptions options = f.transport.last().options;
    assertEquals("svc", options.authority());
    assertEquals("switchboard-java/0.1.0", options.userAgent());
    assertEquals(8 * 1024, options.maxInboundMetadataSize());
    assertEquals(Duration.ofSeconds(20), options.connectTimeout());

    f.readyChannel(f.options().userAgent("my-app/1.2").build());
    assertEquals("my-app/1.2 switchboard-java/0.1.0", f.transport.last().options.userAgent());
    assertEquals(ClientKeepalive.DISABLED, options.keepalive(), "no keepalive by default");
  }

  @Test
  void transportOptionsCarryKeepalive() {
    ClientKeepalive keepalive =
        ClientKeepalive.newBuilder().time(Duration.ofSeconds(30)).permitWithoutCalls(true).build();
    f.readyChannel(f.options().keepalive(keepalive).build());
    assertEquals(keepalive, f.transport.last().options.keepalive());
  }

  @Test
  void emptyTargetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> f.dial(" "));
  }

  @Test
  void blockReturnsOnceReady() {
    f.transport.autoReady = true;
    ClientConnImpl conn =
        ChannelFactory.forAddresses(
            List.of(new InetSocketAddress("127.0.0.1", 1)), f.options().build(), f.env);
    ChannelFactory.blockUntilReady(conn, Duration.ofSeconds(5));
    assertEquals(ConnectivityState.READY, conn.getState(false));
  }

  @Test
  void blockFailsUnavailableWithTheConnectionError() {
    f.transport.autoFail = Status.UNAVAILABLE.withDescription("connection refused");
    ClientConnImpl conn =
        ChannelFactory.forAddresses(
            List.of(new InetSocketAddress("127.0.0.1", 1)), f.options().build(), f.env);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> ChannelFactory.blockUntilReady(conn, Duration.ofMillis(20)));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertTrue(
        e.getStatus().getDescription().endsWith(": connection refused"),
        e.getStatus().getDescription());
    assertTrue(conn.isShutdown());
  }

  @Test
  void blockTimesOutWithDeadlineExceededWhileConnecting() {
    ClientConnImpl conn =
        ChannelFactory.forAddresses(
            List.of(new InetSocketAddress("127.0.0.1", 1)), f.options().build(), f.env);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> ChannelFactory.blockUntilReady(conn, Duration.ofMillis(20)));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertTrue(
        e.getStatus().getDescription().contains("state CONNECTING"),
        e.getStatus().getDescription());
    assertTrue(conn.isShutdown());
  }

  @Test
  void fakeClockOverloadDrivesTimers() {
    f.transport.autoFail = Status.UNAVAILABLE.withDescription("refused");
    ClientConnImpl conn =
        ChannelFactory.forTarget(
            "fake:///svc", f.options().build(), f.clock.ticker(), f.clock.scheduledExecutor());
    conn.connect();
    f.resolver.last().resolve(FakeResolverProvider.address(1));
    assertEquals(1, f.transport.transports.size());
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    f.clock.forwardTime(2, java.util.concurrent.TimeUnit.SECONDS); // 1 s ± 20 % backoff
    assertEquals(2, f.transport.transports.size());
    conn.close();
  }

  @Test
  void systemEnvironmentUsesSharedDaemonThreads() {
    ChannelEnvironment env = ChannelEnvironment.system();
    assertSame(SharedExecutors.timer(), env.timer());
    assertSame(SharedExecutors.cachedPool(), env.blockingExecutor());
    ChannelEnvironment faked = env.withClock(f.clock.ticker(), f.clock.scheduledExecutor());
    assertSame(f.clock.scheduledExecutor(), faked.timer());
  }
}
