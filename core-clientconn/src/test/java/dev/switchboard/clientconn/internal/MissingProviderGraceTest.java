package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Status;
import dev.switchboard.testing.RecordingClientListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code DialOptions.providerGrace}: a channel whose transport, resolver or balancing policy is not
 * deployed (yet, or any more) is CONNECTING and queues its calls for the grace period; a provider
 * arriving meanwhile fails no call. After it, calls fail fast naming the missing provider, except
 * wait-for-ready ones, and the provider's arrival still brings the channel up at once.
 */
class MissingProviderGraceTest {
  private static final long GRACE_NANOS = DialOptions.DEFAULT_PROVIDER_GRACE.toNanos();
  private static final String NO_NETTY =
      "no transport 'netty' deployed: register a "
          + "TransportProvider for 'netty' in the TransportRegistry in use";
  private final ChannelFixture f = new ChannelFixture();

  private static List<RecordingClientListener<String>> startCalls(
      ClientConnImpl conn, int n, CallOptions options) {
    List<RecordingClientListener<String>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(ChannelFixture.startCall(conn, options));
    }
    return calls;
  }

  private static void assertOpen(List<RecordingClientListener<String>> calls) {
    for (RecordingClientListener<String> call : calls) {
      assertFalse(call.isClosed(), () -> "closed with " + call.status());
    }
  }

  @Test
  void transportArrivingWithinTheGracePeriodFailsNoCall() {
    f.transports.deregister(f.transport);
    ClientConnImpl conn = f.dial("fake:///svc");
    List<RecordingClientListener<String>> calls = startCalls(conn, 100, CallOptions.DEFAULT);
    f.resolver.last().resolve(address(1));
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    ChannelWiring.Component transport = conn.describeWiring().transport();
    assertEquals(ChannelWiring.State.MISSING, transport.state());
    assertEquals(
        "no transport 'netty' deployed; connections wait for one (grace period PT5S)",
        transport.detail());

    f.clock.forwardTime(GRACE_NANOS - 1, TimeUnit.NANOSECONDS);
    assertEquals(100, conn.queuedCallCount());
    assertOpen(calls);

    f.transports.register(f.transport); // the transport bundle starts
    assertEquals(1, f.transport.transports.size(), "connects at once");
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(100, f.transport.last().streams.size());
    f.clock.forwardTime(1, TimeUnit.HOURS);
    assertOpen(calls);
    assertEquals("1 connection(s)", conn.describeWiring().transport().detail());
  }

  @Test
  void afterTheGracePeriodCallsFailFastButWaitForReadyOnesKeepWaiting() {
    f.transports.deregister(f.transport);
    ClientConnImpl conn = f.dial("fake:///svc");
    RecordingClientListener<String> failFast = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    RecordingClientListener<String> waitForReady =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withWaitForReady());
    f.resolver.last().resolve(address(1));

    f.clock.forwardTime(GRACE_NANOS, TimeUnit.NANOSECONDS);
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    assertEquals(Status.UNAVAILABLE.withDescription(NO_NETTY), failFast.status());
    assertFalse(waitForReady.isClosed());
    assertEquals(
        Status.UNAVAILABLE.withDescription(NO_NETTY),
        ChannelFixture.startCall(conn, CallOptions.DEFAULT).status(),
        "fails at once now");
    assertEquals(
        "no transport 'netty' deployed; calls fail until one is (waited PT5S)",
        conn.describeWiring().transport().detail());

    // Long after: still failing fast, on every reconnection attempt.
    f.clock.forwardTime(10, TimeUnit.MINUTES);
    assertEquals(
        Status.UNAVAILABLE.withDescription(NO_NETTY),
        ChannelFixture.startCall(conn, CallOptions.DEFAULT).status());

    f.transports.register(f.transport); // no need to wait for the reconnection backoff
    assertEquals(1, f.transport.transports.size());
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertFalse(waitForReady.isClosed());
    assertEquals(1, f.transport.last().streams.size(), "the wait-for-ready call went ahead");
  }

  @Test
  void transportRestartedWithinTheGracePeriodFailsNoCall() {
    ClientConnImpl conn = f.readyChannel();
    f.transports.deregister(f.transport); // a bundle update: stopped ...
    List<RecordingClientListener<String>> calls = startCalls(conn, 10, CallOptions.DEFAULT);
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    f.clock.forwardTime(GRACE_NANOS - 1, TimeUnit.NANOSECONDS);

    FakeTransportProvider updated = new FakeTransportProvider("netty");
    f.transports.register(updated); // ... and started again
    updated.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(10, updated.last().streams.size());
    f.clock.forwardTime(1, TimeUnit.HOURS);
    assertOpen(calls);
  }

  @Test
  void eachAbsenceGetsItsOwnGracePeriod() {
    f.transports.deregister(f.transport);
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver.last().resolve(address(1));
    f.clock.forwardTime(3, TimeUnit.SECONDS);
    f.transports.register(f.transport);
    f.transport.last().ready();
    f.clock.forwardTime(1, TimeUnit.MINUTES);

    f.transports.deregister(f.transport);
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.clock.forwardTime(GRACE_NANOS - 1, TimeUnit.NANOSECONDS);
    assertFalse(call.isClosed(), "a full grace period, not what was left of the first one");
    f.clock.forwardTime(1, TimeUnit.NANOSECONDS);
    assertEquals(Status.UNAVAILABLE.withDescription(NO_NETTY), call.status());
  }

  @Test
  void resolverArrivingWithinTheGracePeriodFailsNoCall() {
    ClientConnImpl conn = f.dial("late:///svc");
    List<RecordingClientListener<String>> calls = startCalls(conn, 10, CallOptions.DEFAULT);
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    f.clock.forwardTime(GRACE_NANOS - 1, TimeUnit.NANOSECONDS);
    assertOpen(calls);

    FakeResolverProvider late = new FakeResolverProvider("late");
    f.resolvers.register(late);
    late.last().resolve(address(1));
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(10, f.transport.last().streams.size());
    f.clock.forwardTime(1, TimeUnit.HOURS);
    assertOpen(calls);
  }

  @Test
  void missingResolverFailsCallsAfterTheGracePeriod() {
    ClientConnImpl conn = f.dial("late:///svc");
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.clock.forwardTime(GRACE_NANOS, TimeUnit.NANOSECONDS);
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    assertEquals(
        Status.UNAVAILABLE.withDescription(
            "no resolver for scheme 'late' deployed: "
                + "register a ResolverProvider for 'late' in the ResolverRegistry in use"),
        call.status());
  }

  @Test
  void policyArrivingWithinTheGracePeriodFailsNoCall() {
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options()
                .defaultServiceConfig("{\"loadBalancingConfig\": [{\"round_robin\": {}}]}")
                .build());
    List<RecordingClientListener<String>> calls = startCalls(conn, 10, CallOptions.DEFAULT);
    f.resolver.last().resolve(address(1));
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    f.clock.forwardTime(GRACE_NANOS - 1, TimeUnit.NANOSECONDS);
    assertOpen(calls);

    f.balancers.register(new TestRoundRobinBalancer.Provider("1.0"));
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(10, f.transport.last().streams.size());
    f.clock.forwardTime(1, TimeUnit.HOURS);
    assertOpen(calls);
  }

  @Test
  void missingPolicyFailsCallsAfterTheGracePeriodListingTheDeployedOnes() {
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options()
                .defaultServiceConfig("{\"loadBalancingConfig\": [{\"round_robbin\": {}}]}")
                .build());
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.resolver.last().resolve(address(1));
    f.clock.forwardTime(GRACE_NANOS, TimeUnit.NANOSECONDS);
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    assertEquals(
        Status.UNAVAILABLE.withDescription(
            "no balancing policy deployed among "
                + "[round_robbin] (deployed: [pick_first]): register a BalancerProvider for "
                + "'round_robbin' in the BalancerRegistry in use"),
        call.status());
  }

  @Test
  void malformedConfigFailsAtOnce() {
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options().defaultServiceConfig("{\"loadBalancingConfig\": {}}").build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false), "not a provider");
  }

  @Test
  void zeroGracePeriodFailsAtOnce() {
    f.transports.deregister(f.transport);
    ClientConnImpl conn = f.dial("fake:///svc", f.options().providerGrace(Duration.ZERO).build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    assertEquals(
        Status.UNAVAILABLE.withDescription(NO_NETTY),
        ChannelFixture.startCall(conn, CallOptions.DEFAULT).status());
  }

  @Test
  void closingWhileWaitingCancelsTheQueuedCallsAndTheTimers() {
    f.transports.deregister(f.transport);
    ClientConnImpl conn = f.dial("late:///svc");
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    conn.close();
    assertEquals(Status.Code.CANCELLED, call.status().getCode());
    assertTrue(conn.isTerminated());
    f.clock.forwardTime(GRACE_NANOS, TimeUnit.NANOSECONDS); // the expiry finds a closed channel
    assertEquals(ConnectivityState.SHUTDOWN, conn.getState(false));
  }
}
