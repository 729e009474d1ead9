package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.testing.RecordingClientListener;
import dev.switchboard.testing.UncaughtErrors;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing, and failures that must be explained rather than kill the channel. */
class ClientConnLifecycleTest {
  private static final Status CLOSING = Status.CANCELLED.withDescription("channel is closing");
  private final ChannelFixture f = new ChannelFixture();

  @Test
  void closeCancelsInFlightAndQueuedCallsAndTerminates() throws InterruptedException {
    ClientConnImpl conn = f.readyChannel();
    FakeTransport first = f.transport.last();
    RecordingClientListener<String> inFlight = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    first.goAway(Status.UNAVAILABLE.withDescription("GOAWAY")); // in-flight call continues
    RecordingClientListener<String> queued = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, conn.queuedCallCount());
    assertFalse(inFlight.isClosed());

    conn.close();
    assertEquals(CLOSING, inFlight.status());
    assertEquals(CLOSING, queued.status());
    assertEquals(CLOSING, ChannelFixture.startCall(conn, CallOptions.DEFAULT).status());
    assertTrue(conn.isShutdown());
    assertTrue(f.pickFirst.last().closed);
    assertTrue(f.resolver.last().closed);
    assertNotNull(f.transport.last().shutdownNowReason, "pending connection closed at once");
    assertTrue(conn.isTerminated());
    assertTrue(conn.awaitTermination(0, TimeUnit.SECONDS));
    assertEquals(1, f.transport.factoriesClosed);
    assertEquals(1, inFlight.closeCount());
  }

  @Test
  void terminationWaitsForTransports() {
    ClientConnImpl conn = f.readyChannel();
    FakeTransport t = f.transport.last();
    // A transport that needs a moment to go away: swallow shutdownNow's termination.
    t.terminated = true; // FakeTransport will not report termination by itself now
    conn.close();
    assertTrue(conn.isShutdown());
    assertFalse(conn.isTerminated());
    assertEquals(0, f.transport.factoriesClosed);
    t.listener.transportTerminated();
    assertTrue(conn.isTerminated());
    assertEquals(1, f.transport.factoriesClosed);
  }

  @Test
  void closeIsIdempotentAndWorksWhileIdle() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.close();
    conn.close();
    assertTrue(conn.isTerminated());
    assertTrue(f.resolver.resolvers.isEmpty());
  }

  @Test
  void unknownSchemeErrorNamesTheResolverUntilOneIsDeployed() {
    ClientConnImpl conn = f.dial("xyz://host/endpoint");
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(call.isClosed(), "waits during the grace period");
    f.clock.forwardTime(DialOptions.DEFAULT_PROVIDER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    assertEquals(
        Status.UNAVAILABLE.withDescription(
            "no resolver for scheme 'xyz' deployed: "
                + "register a ResolverProvider for 'xyz' in the ResolverRegistry in use"),
        call.status());
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));

    RecordingClientListener<String> waiting =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withWaitForReady());
    FakeResolverProvider xyz = new FakeResolverProvider("xyz");
    f.resolvers.register(xyz); // the bundle arrives
    assertEquals("endpoint", xyz.last().target.endpoint());
    xyz.last().resolve(address(7));
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertFalse(waiting.isClosed());
    assertEquals(1, f.transport.last().streams.size());
    conn.close();
    assertTrue(conn.isTerminated());
  }

  @Test
  void missingPolicyErrorNamesThePolicyUntilItIsDeployed() {
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options()
                .defaultServiceConfig("{\"loadBalancingConfig\": [{\"round_robin\": {}}]}")
                .build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false), "grace period");
    f.clock.forwardTime(DialOptions.DEFAULT_PROVIDER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(
        Status.UNAVAILABLE.withDescription(
            "no balancing policy deployed among "
                + "[round_robin] (deployed: [pick_first]): register a BalancerProvider for 'round_robin' "
                + "in the BalancerRegistry in use"),
        call.status());

    TestPickFirstBalancer.Provider roundRobin = new TestPickFirstBalancer.Provider("round_robin");
    f.balancers.register(roundRobin);
    assertEquals(1, roundRobin.built.size());
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
  }

  @Test
  void throwingBalancerMeansTransientFailureNotADeadChannel() {
    ScriptedBalancer.Provider scripted = new ScriptedBalancer.Provider();
    f.balancers.register(scripted);
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options().defaultServiceConfig(ScriptedBalancer.Provider.CONFIG).build());
    ScriptedBalancer.Provider.throwOnUpdate = true;
    conn.connect();
    f.resolver.last().resolve(address(1));
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(Status.Code.UNAVAILABLE, call.status().getCode());
    assertTrue(
        call.status()
            .getDescription()
            .startsWith("balancing policy 'scripted' failed in updateClientConnState"),
        call.status().toString());

    // Re-resolution after the backoff rebuilds the balancer.
    assertEquals(0, f.resolver.last().resolveNowCount);
    f.clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(1, f.resolver.last().resolveNowCount);
    ScriptedBalancer.Provider.throwOnUpdate = false;
    f.resolver.last().resolve(address(1));
    assertEquals(2, scripted.built.size());
    assertTrue(scripted.built.get(0).closed);
    assertEquals(1, scripted.last().updates.size());
    assertEquals(
        List.of("scripted failure"),
        UncaughtErrors.takeMessages(),
        "the failure is logged as an error");
  }

  @Test
  void throwingSubConnListenerIsContained() {
    ScriptedBalancer.Provider scripted = new ScriptedBalancer.Provider();
    f.balancers.register(scripted);
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options().defaultServiceConfig(ScriptedBalancer.Provider.CONFIG).build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    ScriptedBalancer.Provider.throwOnSubConnState = true;
    scripted.last().connectSubConn(scripted.last().updates.get(0));
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertTrue(call.status().getDescription().contains("failed in onSubConnState"));
    assertEquals(
        List.of("listener failure"),
        UncaughtErrors.takeMessages(),
        "the failure is logged as an error");
  }

  @Test
  void policyChangeSwitchesBalancersGracefully() {
    TestPickFirstBalancer.Provider other = new TestPickFirstBalancer.Provider("other");
    f.balancers.register(other);
    ClientConnImpl conn = f.readyChannel();
    FakeTransport first = f.transport.last();
    f.resolver
        .last()
        .conn
        .updateState(
            new ResolverState(
                List.of(address(2)),
                "{\"loadBalancingConfig\": [{\"other\": {}}]}",
                dev.switchboard.api.Attributes.EMPTY));
    assertEquals(1, other.built.size());
    assertFalse(f.pickFirst.last().closed, "the old policy serves until the new one is READY");
    assertEquals(null, first.shutdownReason);
    f.transport.last().ready();
    assertTrue(f.pickFirst.last().closed);
    assertNotNull(first.shutdownReason, "the old policy's SubConn is shut down");
    assertEquals(ConnectivityState.READY, conn.getState(false));
  }

  @Test
  void invalidResolverConfigKeepsThePreviousOne() {
    ClientConnImpl conn = f.readyChannel();
    f.resolver
        .last()
        .conn
        .updateState(
            new ResolverState(
                List.of(address(1)), "{not json", dev.switchboard.api.Attributes.EMPTY));
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(1, f.pickFirst.built.size());
    assertEquals(2, f.pickFirst.last().updates.size());
  }

  @Test
  void invalidFirstResolverConfigFailsTheChannel() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver
        .last()
        .conn
        .updateState(
            new ResolverState(
                List.of(address(1)), "{not json", dev.switchboard.api.Attributes.EMPTY));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertTrue(call.status().getDescription().startsWith("invalid service config: invalid JSON"));
  }

  @Test
  void invalidDefaultConfigIsRefusedAtDialTime() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> f.dial("fake:///svc", f.options().defaultServiceConfig("{").build()));
    assertTrue(e.getMessage().startsWith("invalid default service config"), e.getMessage());
  }

  @Test
  void resolverErrorsAreLeftToTheResolverToRetry() {
    // No idle timer: the test counts the channel's scheduled tasks.
    ClientConnImpl conn = f.dial("fake:///svc", f.options().disableIdleTimeout().build());
    conn.connect();
    Status dnsDown = Status.UNAVAILABLE.withDescription("DNS down");
    f.resolver.last().conn.reportError(dnsDown);
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    assertEquals(dnsDown, ChannelFixture.startCall(conn, CallOptions.DEFAULT).status());

    // A resolver that reports errors retries on its own (as resolver-dns does): no double work.
    f.clock.forwardTime(10, TimeUnit.MINUTES);
    assertEquals(0, f.resolver.last().resolveNowCount);
    assertEquals(0, f.clock.numScheduledTasks());
    f.resolver.last().conn.reportError(dnsDown);
    f.clock.forwardTime(10, TimeUnit.MINUTES);
    assertEquals(0, f.resolver.last().resolveNowCount);

    f.resolver.last().resolve(address(1));
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    f.resolver.last().conn.reportError(dnsDown);
    assertEquals(0, f.clock.numScheduledTasks(), "no retries once addresses were resolved");
    assertEquals(List.of(dnsDown), f.pickFirst.last().resolverErrors);
  }

  @Test
  void emptyAddressListRejectedByTheBalancerIsRetried() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver.last().resolve();
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    f.clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(1, f.resolver.last().resolveNowCount);
  }

  @Test
  void missingTransportIsNamed() {
    f.transports.deregister(f.transport);
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver.last().resolve(address(1));
    f.clock.forwardTime(DialOptions.DEFAULT_PROVIDER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(
        Status.UNAVAILABLE.withDescription(
            "no transport 'netty' deployed: register a "
                + "TransportProvider for 'netty' in the TransportRegistry in use"),
        call.status());

    f.transports.register(f.transport); // reconnects at once, not after its backoff
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
  }

  @Test
  void callsOnAnotherTransportSurviveAGoAway() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    FakeStream<String> stream = f.lastStream();
    f.transport.last().goAway(Status.UNAVAILABLE.withDescription("GOAWAY"));
    stream.deliverMessage("late but fine");
    stream.close(Status.OK, new Metadata());
    assertEquals(Status.OK, call.status());
    assertEquals(List.of("late but fine"), call.messages());
  }
}
