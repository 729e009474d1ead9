package dev.switchboard.resolver.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The channel as a resolver sees it, recording {@link #updateState} and {@link #reportError} calls
 * (from any thread) in arrival order. Its {@link SynchronizationContext} is real and records what
 * its tasks throw; {@link #assertNoErrors} checks that in teardown.
 */
final class FakeResolverConn implements ResolverConn {
  static final long TIMEOUT_SECONDS = 10;

  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private final SynchronizationContext syncContext =
      new SynchronizationContext((thread, error) -> uncaught.add(error));
  private final ScheduledExecutorService timer;

  FakeResolverConn(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  @Override
  public void updateState(ResolverState state) {
    events.add(state);
  }

  @Override
  public void reportError(Status error) {
    events.add(error);
  }

  /** What {@link #serviceConfigLookupDisabled()} answers; the test may change it. */
  volatile boolean serviceConfigLookupDisabled;

  @Override
  public boolean serviceConfigLookupDisabled() {
    return serviceConfigLookupDisabled;
  }

  @Override
  public SynchronizationContext synchronizationContext() {
    return syncContext;
  }

  @Override
  public ScheduledExecutorService scheduledExecutor() {
    return timer;
  }

  /**
   * Runs {@code task} in the serializer and waits until it ran, wherever it ran: the serializer is
   * FIFO, so everything queued before it has run too.
   */
  void inContext(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    syncContext.execute(
        () -> {
          try {
            task.run();
            done.complete(null);
          } catch (Throwable t) {
            done.completeExceptionally(t);
            throw t;
          }
        });
    done.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
  }

  /** Waits until the serializer ran everything queued so far. */
  void drain() {
    inContext(() -> {});
  }

  /** The next event, which must be a state. */
  ResolverState awaitState() throws InterruptedException {
    return assertInstanceOf(ResolverState.class, awaitEvent());
  }

  /** The next event, which must be an error. */
  Status awaitError() throws InterruptedException {
    return assertInstanceOf(Status.class, awaitEvent());
  }

  private Object awaitEvent() throws InterruptedException {
    Object event = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(event, "no resolver report within " + TIMEOUT_SECONDS + " s");
    return event;
  }

  /** Reports not yet awaited. */
  List<Object> pendingEvents() {
    return new ArrayList<>(events);
  }

  void assertNoPendingEvents() {
    assertEquals(List.of(), pendingEvents());
  }

  void assertNoErrors() {
    assertTrue(uncaught.isEmpty(), () -> "serializer tasks threw: " + uncaught);
  }
}
