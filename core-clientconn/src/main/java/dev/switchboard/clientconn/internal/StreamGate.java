package dev.switchboard.clientconn.internal;

import dev.switchboard.api.transport.ClientTransport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The door to one READY transport, closing the window between a pick and the stream it picked: a
 * picker {@linkplain #tryEnter() enters} before creating and starting a stream and {@linkplain
 * #exit() exits} after, and {@link #close(Runnable)} runs the transport's graceful shutdown only
 * once nobody is inside. So a stream picked before the channel shut a transport down (its balancer
 * was switched away, its address was removed, its provider left) has started, and is drained like
 * any other, instead of being refused; a pick after the close fails to enter and picks again.
 *
 * <p>Shutdowns the channel does not decide (GOAWAY, connection loss) close the gate too, from the
 * transport thread, as soon as the transport reports them; a stream that raced the report is
 * refused by the transport and retried transparently ({@link RetriableStream}).
 *
 * <p>Lock-free and thread-safe: {@code state} counts streams being started, with the sign bit set
 * once closed; the close action runs exactly once, on whichever thread leaves the gate empty.
 */
final class StreamGate {
  private static final int CLOSED = Integer.MIN_VALUE;

  private final ClientTransport transport;
  private final AtomicInteger state = new AtomicInteger();
  private final AtomicReference<Runnable> whenEmpty = new AtomicReference<>();
  private final AtomicBoolean actionRan = new AtomicBoolean();

  StreamGate(ClientTransport transport) {
    this.transport = transport;
  }

  ClientTransport transport() {
    return transport;
  }

  /** Enters unless closed; a true return must be paired with {@link #exit()}. */
  boolean tryEnter() {
    while (true) {
      int s = state.get();
      if (s < 0) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  /** Leaves; the last one out of a closed gate runs its close action. */
  void exit() {
    if (state.decrementAndGet() == CLOSED) {
      runWhenEmpty();
    }
  }

  /**
   * Closes the gate: no one enters any more, and {@code whenEmpty} (may be null) runs once the
   * streams being started have started: now, or on the thread of the last {@link #exit()}. Only the
   * first non-null action ever runs.
   */
  void close(Runnable whenEmpty) {
    if (whenEmpty != null) {
      this.whenEmpty.set(whenEmpty);
    }
    state.getAndUpdate(s -> s | CLOSED);
    if (state.get() == CLOSED) {
      runWhenEmpty();
    }
  }

  boolean isClosed() {
    return state.get() < 0;
  }

  private void runWhenEmpty() {
    Runnable action = whenEmpty.getAndSet(null);
    if (action != null && actionRan.compareAndSet(false, true)) {
      action.run();
    }
  }

  @Override
  public String toString() {
    return "StreamGate{" + transport + ", " + (isClosed() ? "closed" : "open") + "}";
  }
}
