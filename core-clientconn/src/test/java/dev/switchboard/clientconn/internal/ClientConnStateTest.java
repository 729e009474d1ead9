package dev.switchboard.clientconn.internal;

import static dev.switchboard.api.ConnectivityState.CONNECTING;
import static dev.switchboard.api.ConnectivityState.IDLE;
import static dev.switchboard.api.ConnectivityState.READY;
import static dev.switchboard.api.ConnectivityState.SHUTDOWN;
import static dev.switchboard.api.ConnectivityState.TRANSIENT_FAILURE;
import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.testing.RecordingClientListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idle start, state aggregation and state watchers. */
class ClientConnStateTest {
  private final ChannelFixture f = new ChannelFixture();

  @Test
  void startsIdleWithoutResolverOrBalancer() {
    ClientConnImpl conn = f.dial("fake:///svc");
    assertEquals(IDLE, conn.getState(false));
    assertTrue(f.resolver.resolvers.isEmpty());
    assertTrue(f.pickFirst.built.isEmpty());
  }

  @Test
  void getStateWithConnectLeavesIdle() {
    ClientConnImpl conn = f.dial("fake:///svc");
    assertEquals(IDLE, conn.getState(true));
    assertTrue(f.resolver.last().started);
    assertEquals(CONNECTING, conn.getState(false));
  }

  @Test
  void firstCallLeavesIdleAndWaitsForTheConnection() {
    ClientConnImpl conn = f.dial("fake:///svc");
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertTrue(f.resolver.last().started);
    assertEquals(1, conn.queuedCallCount());

    f.resolver.last().resolve(address(1));
    assertEquals(1, f.pickFirst.built.size());
    assertEquals(List.of(address(1)), f.pickFirst.last().updates.get(0).addresses());
    assertEquals(CONNECTING, conn.getState(false));

    f.transport.last().ready();
    assertEquals(READY, conn.getState(false));
    assertEquals(0, conn.queuedCallCount());
    FakeStream<String> stream = f.lastStream();
    assertEquals(List.of("start", "request 2", "write hi", "halfClose"), stream.events);

    stream.deliverMessage("hello");
    stream.close(Status.OK, new dev.switchboard.api.Metadata());
    assertEquals(List.of("hello"), call.messages());
    assertEquals(Status.OK, call.status());
  }

  @Test
  void stateFollowsTheBalancer() {
    ClientConnImpl conn = f.readyChannel();
    assertEquals(READY, conn.getState(false));

    f.transport.last().goAway(Status.UNAVAILABLE.withDescription("GOAWAY"));
    assertEquals(IDLE, conn.getState(false));
    assertEquals(1, f.resolver.last().resolveNowCount, "lost connection asks to re-resolve");

    conn.connect(); // balancer.exitIdle reconnects
    assertEquals(CONNECTING, conn.getState(false));
    f.transport.last().fail(Status.UNAVAILABLE.withDescription("connection refused"));
    assertEquals(TRANSIENT_FAILURE, conn.getState(false));

    f.clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(CONNECTING, conn.getState(false));
    f.transport.last().ready();
    assertEquals(READY, conn.getState(false));
  }

  @Test
  void idleChannelReconnectsOnTheNextCall() {
    ClientConnImpl conn = f.readyChannel();
    f.transport.last().goAway(Status.UNAVAILABLE.withDescription("GOAWAY"));
    int transports = f.transport.transports.size();
    ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(transports + 1, f.transport.transports.size());
    f.transport.last().ready();
    assertEquals(List.of("start", "request 2", "write hi", "halfClose"), f.lastStream().events);
  }

  @Test
  void notifyWhenStateChangedFiresOnceOnChange() {
    ClientConnImpl conn = f.dial("fake:///svc");
    List<ConnectivityState> seen = new ArrayList<>();
    conn.notifyWhenStateChanged(IDLE, () -> seen.add(conn.getState(false)), Runnable::run);
    assertEquals(List.of(), seen);
    conn.connect();
    assertEquals(List.of(CONNECTING), seen);
    f.resolver.last().resolve(address(1));
    f.transport.last().ready();
    assertEquals(List.of(CONNECTING), seen, "one-shot");

    conn.notifyWhenStateChanged(CONNECTING, () -> seen.add(conn.getState(false)), Runnable::run);
    assertEquals(List.of(CONNECTING, READY), seen, "fires at once when already different");
  }

  @Test
  void notifyRunsOnTheGivenExecutor() {
    ClientConnImpl conn = f.dial("fake:///svc");
    int[] fired = new int[1];
    conn.notifyWhenStateChanged(IDLE, () -> fired[0]++, f.clock.executor());
    conn.connect();
    assertEquals(0, fired[0]);
    f.clock.runPendingTasks();
    assertEquals(1, fired[0]);
  }

  @Test
  void waitForStateChange() throws InterruptedException {
    ClientConnImpl conn = f.dial("fake:///svc");
    assertTrue(conn.waitForStateChange(READY, 1, TimeUnit.SECONDS), "already different");
    assertFalse(conn.waitForStateChange(IDLE, 10, TimeUnit.MILLISECONDS), "timed out");
  }

  @Test
  void waitForStateChangeRefusesToBlockTheSerializer() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.syncContext()
        .execute(
            () ->
                assertThrows(
                    IllegalStateException.class,
                    () -> conn.waitForStateChange(IDLE, 1, TimeUnit.SECONDS)));
  }

  @Test
  void closeEndsInShutdownAndWakesWatchers() {
    ClientConnImpl conn = f.readyChannel();
    List<ConnectivityState> seen = new ArrayList<>();
    conn.notifyWhenStateChanged(READY, () -> seen.add(conn.getState(false)), Runnable::run);
    conn.close();
    assertEquals(List.of(SHUTDOWN), seen);
    assertEquals(SHUTDOWN, conn.getState(true));
    conn.connect();
    assertEquals(SHUTDOWN, conn.getState(false));
  }
}
