package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.testing.RecordingClientListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown(), shutdownNow() and awaitTermination. */
class ChannelShutdownTest {
  private static final Status SHUT_DOWN =
      Status.UNAVAILABLE.withDescription("channel is shut down");
  private static final Status CLOSING = Status.CANCELLED.withDescription("channel is closing");
  private final ChannelFixture f = new ChannelFixture();

  private static void finish(FakeStream<String> stream) {
    stream.deliverMessage("r");
    stream.close(Status.OK, new Metadata());
  }

  @Test
  void shutdownLetsInFlightAndQueuedCallsFinishAndRefusesNewOnes() throws InterruptedException {
    ClientConnImpl conn = f.readyChannel();
    FakeTransport first = f.transport.last();
    RecordingClientListener<String> inFlight = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    FakeStream<String> inFlightStream = f.lastStream();
    first.goAway(Status.UNAVAILABLE.withDescription("GOAWAY")); // the next call waits
    RecordingClientListener<String> queued = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, conn.queuedCallCount());

    conn.shutdown();
    assertTrue(conn.isShutdown());
    assertEquals(ConnectivityState.SHUTDOWN, conn.getState(false));
    assertEquals(SHUT_DOWN, ChannelFixture.startCall(conn, CallOptions.DEFAULT).status());
    assertThrows(IllegalStateException.class, () -> conn.updateServiceConfig(null));
    assertFalse(f.resolver.last().closed, "the resolver serves the calls left");
    assertFalse(f.pickFirst.last().closed, "so does the balancer");
    assertFalse(conn.isTerminated());
    assertFalse(conn.awaitTermination(1, TimeUnit.MILLISECONDS));

    // The queued call gets a connection (the balancer reconnects for it) and finishes.
    FakeTransport second = f.transport.last();
    assertTrue(second != first);
    second.ready();
    assertEquals(0, conn.queuedCallCount());
    finish(second.lastStream());
    assertEquals(Status.OK, queued.status());
    assertFalse(conn.isTerminated());
    assertFalse(f.resolver.last().closed, "one call is left");

    finish(inFlightStream);
    assertEquals(Status.OK, inFlight.status());
    assertTrue(f.resolver.last().closed);
    assertTrue(f.pickFirst.last().closed);
    assertNotNull(second.shutdownReason, "connections close gracefully");
    assertNull(second.shutdownNowReason);
    assertNull(first.shutdownNowReason);
    assertTrue(conn.isTerminated());
    assertTrue(conn.awaitTermination(0, TimeUnit.SECONDS));
    assertEquals(1, f.transport.factoriesClosed);
    assertEquals(ConnectivityState.SHUTDOWN, conn.describeWiring().connectivityState());
  }

  @Test
  void shutdownOfAnIdleChannelTerminatesAtOnce() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.shutdown();
    conn.shutdown();
    assertTrue(conn.isTerminated());
    assertTrue(f.resolver.resolvers.isEmpty(), "never woken");
    assertEquals(ConnectivityState.SHUTDOWN, conn.getState(true));
    assertTrue(f.resolver.resolvers.isEmpty());
  }

  @Test
  void aCallQueuedOnAWokenChannelFinishesAfterShutdown() {
    ClientConnImpl conn = f.readyChannel();
    conn.enterIdle();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    conn.shutdown();
    f.resolver.last().resolve(address(1));
    f.transport.last().ready();
    assertFalse(conn.isTerminated());
    finish(f.lastStream());
    assertEquals(Status.OK, call.status());
    assertTrue(conn.isTerminated());
  }

  @Test
  void noIdleWhileShuttingDown() {
    ClientConnImpl conn = f.readyChannel();
    ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    conn.shutdown();
    conn.enterIdle();
    f.clock.forwardTime(1, TimeUnit.DAYS);
    assertEquals(ConnectivityState.SHUTDOWN, conn.getState(false));
    assertFalse(f.resolver.last().closed);
    assertEquals(0, f.clock.numScheduledTasks(), "the idle timer stopped");
  }

  @Test
  void shutdownNowCancelsWhatShutdownLeftRunning() {
    ClientConnImpl conn = f.readyChannel();
    FakeTransport transport = f.transport.last();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    conn.shutdown();
    assertFalse(call.isClosed());

    conn.shutdownNow();
    assertEquals(CLOSING, call.status());
    assertEquals(CLOSING, ChannelFixture.startCall(conn, CallOptions.DEFAULT).status());
    assertTrue(f.resolver.last().closed);
    assertNotNull(transport.shutdownNowReason);
    assertTrue(conn.isTerminated());
    conn.shutdownNow();
    conn.close();
    assertEquals(1, f.transport.factoriesClosed);
  }

  @Test
  void shutdownNowAfterAGracefulShutdownClosesDrainingConnectionsNow() {
    ClientConnImpl conn = f.readyChannel();
    FakeTransport transport = f.transport.last();
    transport.terminated = true; // swallows termination: the transport stays draining
    conn.shutdown();
    assertNotNull(transport.shutdownReason);
    assertFalse(conn.isTerminated(), "its connection has not terminated");
    conn.shutdownNow();
    assertNotNull(transport.shutdownNowReason);
    transport.listener.transportTerminated();
    assertTrue(conn.isTerminated());
  }

  @Test
  void closeIsShutdownNow() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    conn.close();
    assertEquals(CLOSING, call.status());
    assertTrue(conn.isShutdown());
    assertTrue(conn.isTerminated());
  }

  @Test
  void awaitTerminationWakesUpAnotherThread() throws InterruptedException {
    ClientConnImpl conn = f.readyChannel();
    ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    FakeStream<String> stream = f.lastStream();
    conn.shutdown();
    CountDownLatch started = new CountDownLatch(1);
    boolean[] result = new boolean[1];
    Thread waiter =
        new Thread(
            () -> {
              started.countDown();
              try {
                result[0] = conn.awaitTermination(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    assertTrue(started.await(30, TimeUnit.SECONDS));
    finish(stream);
    waiter.join(30_000);
    assertFalse(waiter.isAlive());
    assertTrue(result[0], "terminated before the waiter's timeout");
  }
}
