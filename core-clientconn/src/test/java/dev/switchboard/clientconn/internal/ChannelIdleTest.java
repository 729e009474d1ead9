package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.testing.RecordingClientListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idle mode: the idle timer, enterIdle(), waking up, and resetConnectBackoff(). */
class ChannelIdleTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final ChannelFixture f = new ChannelFixture();

  private ClientConnImpl readyChannel() {
    return f.readyChannel(f.options().idleTimeout(TIMEOUT).build());
  }

  private void forward(long seconds) {
    f.clock.forwardTime(seconds, TimeUnit.SECONDS);
  }

  private static void finish(FakeStream<String> stream) {
    stream.deliverMessage("r");
    stream.close(Status.OK, new Metadata());
  }

  @Test
  void dialOptionsValidateTheIdleTimeout() {
    assertEquals(DialOptions.DEFAULT_IDLE_TIMEOUT, f.options().build().idleTimeout());
    assertEquals(Duration.ofMinutes(30), DialOptions.DEFAULT_IDLE_TIMEOUT);
    assertEquals(
        Duration.ofSeconds(1),
        f.options().idleTimeout(Duration.ofSeconds(1)).build().idleTimeout());
    assertThrows(
        IllegalArgumentException.class, () -> f.options().idleTimeout(Duration.ofMillis(999)));
    assertThrows(IllegalArgumentException.class, () -> f.options().idleTimeout(Duration.ZERO));
    DialOptions never = f.options().disableIdleTimeout().build();
    assertNull(never.idleTimeout());
    assertNull(never.toBuilder().build().idleTimeout());
  }

  @Test
  void goesIdleAfterTheDefaultTimeoutWithoutCalls() {
    ClientConnImpl conn = f.readyChannel();
    FakeTransport transport = f.transport.last();
    f.clock.forwardTime(DialOptions.DEFAULT_IDLE_TIMEOUT.toNanos() - 1, TimeUnit.NANOSECONDS);
    assertEquals(ConnectivityState.READY, conn.getState(false));
    f.clock.forwardTime(1, TimeUnit.NANOSECONDS);

    assertEquals(ConnectivityState.IDLE, conn.getState(false));
    assertTrue(conn.lifecycle().isIdle());
    assertTrue(f.resolver.last().closed);
    assertTrue(f.pickFirst.last().closed);
    assertNotNull(transport.shutdownReason, "the connection closes gracefully");
    assertNull(transport.shutdownNowReason);
    assertTrue(transport.terminated);
    assertEquals(0, f.clock.numScheduledTasks(), "no timer runs while idle");
    assertFalse(conn.isShutdown());
    assertEquals(0, f.transport.factoriesClosed, "the transport factory is kept");

    ChannelWiring wiring = conn.describeWiring();
    assertEquals(ConnectivityState.IDLE, wiring.connectivityState());
    assertEquals("not started: the channel is IDLE", wiring.resolver().detail());
    assertTrue(wiring.components(ChannelWiring.Role.BALANCER).isEmpty(), wiring.toString());
  }

  @Test
  void neverIdleWhenDisabled() {
    ClientConnImpl conn = f.readyChannel(f.options().disableIdleTimeout().build());
    f.clock.forwardTime(1, TimeUnit.DAYS);
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(0, f.clock.numScheduledTasks());
  }

  @Test
  void callInFlightKeepsTheChannelAndTheTimerRearmsForWhatIsLeft() {
    ClientConnImpl conn = readyChannel();
    forward(3);
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    forward(7); // t=10: the check finds the call, re-arms for a whole timeout
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(TIMEOUT.toNanos(), f.clock.nextTaskDelayNanos());

    forward(5); // t=15: the call ends
    finish(f.lastStream());
    assertEquals(Status.OK, call.status());
    forward(5); // t=20: idle for 5 s only; re-armed for the 5 s left
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(TimeUnit.SECONDS.toNanos(5), f.clock.nextTaskDelayNanos());
    assertEquals(1, f.clock.numScheduledTasks(), "one check, never one timer per call");
    f.clock.forwardTime(TimeUnit.SECONDS.toNanos(5) - 1, TimeUnit.NANOSECONDS);
    assertEquals(ConnectivityState.READY, conn.getState(false));
    f.clock.forwardTime(1, TimeUnit.NANOSECONDS); // t=25: 10 s since the call ended
    assertEquals(ConnectivityState.IDLE, conn.getState(false));
  }

  @Test
  void manyCallsScheduleNothing() {
    ClientConnImpl conn = readyChannel();
    int before = f.clock.numScheduledTasks();
    for (int i = 0; i < 20; i++) {
      ChannelFixture.startCall(conn, CallOptions.DEFAULT);
      finish(f.lastStream());
    }
    assertEquals(before, f.clock.numScheduledTasks());
  }

  @Test
  void aCallWakesTheChannelWithANewResolverAndBalancer() {
    ClientConnImpl conn = readyChannel();
    forward(10);
    assertEquals(ConnectivityState.IDLE, conn.getState(false));
    assertEquals(1, f.resolver.resolvers.size());
    assertEquals(1, f.pickFirst.built.size());

    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(2, f.resolver.resolvers.size(), "a new resolver");
    assertTrue(f.resolver.last().started);
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    assertFalse(conn.lifecycle().isIdle());
    assertEquals(1, conn.queuedCallCount());

    f.resolver.last().resolve(address(1));
    assertEquals(2, f.pickFirst.built.size(), "a new balancer for the new resolution");
    f.transport.last().ready();
    assertEquals(2, f.transport.transports.size(), "a new connection");
    assertEquals(ConnectivityState.READY, conn.getState(false));
    finish(f.lastStream());
    assertEquals(Status.OK, call.status());
    assertEquals(1, f.clock.numScheduledTasks(), "the idle timer is armed again");
    forward(10);
    assertEquals(ConnectivityState.IDLE, conn.getState(false));
  }

  @Test
  void connectAndGetStateWakeTheChannel() {
    ClientConnImpl conn = readyChannel();
    forward(10);
    assertEquals(ConnectivityState.IDLE, conn.getState(true));
    assertEquals(2, f.resolver.resolvers.size());
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    conn.enterIdle();
    assertEquals(ConnectivityState.IDLE, conn.getState(false));
    conn.connect();
    assertEquals(3, f.resolver.resolvers.size());
    f.resolver.last().resolve(address(1));
    assertEquals(2, f.pickFirst.built.size(), "balancers are built for a resolution");
  }

  @Test
  void enterIdleLetsACallOnTheConnectionFinish() {
    ClientConnImpl conn = f.readyChannel(); // default timeout: enterIdle() needs none
    FakeTransport transport = f.transport.last();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    FakeStream<String> stream = f.lastStream();

    conn.enterIdle();
    assertEquals(ConnectivityState.IDLE, conn.getState(false));
    assertTrue(f.resolver.last().closed);
    assertTrue(f.pickFirst.last().closed);
    assertNotNull(transport.shutdownReason);
    assertFalse(transport.terminated, "the call still runs on it");
    assertEquals(1, f.resolver.resolvers.size(), "a call on a connection does not wake it");

    finish(stream);
    assertEquals(Status.OK, call.status());
    assertEquals(List.of("r"), call.messages());
    assertTrue(transport.terminated);
    conn.enterIdle(); // idle already: nothing
    assertEquals(1, f.resolver.resolvers.size());
  }

  @Test
  void enterIdleWithAQueuedCallWakesAtOnce() {
    ClientConnImpl conn = f.dial("fake:///svc");
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, conn.queuedCallCount(), "no address yet");

    conn.enterIdle();
    assertEquals(2, f.resolver.resolvers.size(), "the queued call woke the channel");
    assertTrue(f.resolver.resolvers.get(0).closed);
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    assertFalse(call.isClosed());

    f.resolver.last().resolve(address(1));
    f.transport.last().ready();
    finish(f.lastStream());
    assertEquals(Status.OK, call.status());
  }

  @Test
  void aCallQueueingAsTheChannelGoesIdleWakesIt() {
    ScriptedBalancer.Provider scripted = new ScriptedBalancer.Provider();
    f.balancers.register(scripted);
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options().defaultServiceConfig(ScriptedBalancer.Provider.CONFIG).build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    // The channel goes IDLE while a call picks, after its queue check and before the call
    // queues: the picker returns "no result", so the call queues behind the empty picker.
    scripted
        .last()
        .publish(
            ConnectivityState.CONNECTING,
            info -> {
              conn.enterIdle();
              return PickResult.withNoResult();
            });
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);

    assertTrue(scripted.built.get(0).closed);
    assertEquals(2, f.resolver.resolvers.size(), "the queued call woke the channel");
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    assertEquals(1, conn.queuedCallCount());
    f.resolver.last().resolve(address(1));
    assertEquals(2, scripted.built.size(), "a new balancer");
    ScriptedBalancer woken = scripted.last();
    SubConn sc = woken.connectSubConn(woken.updates.get(0));
    f.transport.last().ready();
    woken.publish(ConnectivityState.READY, info -> PickResult.withSubConn(sc));
    finish(f.lastStream());
    assertEquals(Status.OK, call.status());
  }

  @Test
  void resetConnectBackoffReconnectsNowAndReResolves() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver.last().conn.reportError(Status.UNAVAILABLE.withDescription("DNS down"));
    f.resolver.last().resolve(address(1));
    f.transport.last().fail(Status.UNAVAILABLE.withDescription("refused"));
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
    assertEquals(1, f.transport.transports.size());

    conn.resetConnectBackoff();
    assertEquals(2, f.transport.transports.size(), "reconnects without waiting for the backoff");
    assertEquals(0, f.resolver.last().resolveNowCount, "the resolver is fine: left alone");
    f.transport.last().fail(Status.UNAVAILABLE.withDescription("refused"));
    f.resolver.last().conn.reportError(Status.UNAVAILABLE.withDescription("DNS down"));
    conn.resetConnectBackoff();
    assertEquals(3, f.transport.transports.size());
    assertEquals(1, f.resolver.last().resolveNowCount, "a resolver in error resolves now");
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
  }
}
