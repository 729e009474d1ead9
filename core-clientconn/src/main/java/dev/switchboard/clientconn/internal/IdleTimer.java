package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.SynchronizationContext.ScheduledHandle;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Decides when a channel without calls goes IDLE ({@code DialOptions.idleTimeout}), at nearly no
 * cost to calls: a call never touches a timer. The last call in flight to end records the time
 * ({@link #callsEnded()}: one clock read and one volatile write, and only when no other call is in
 * flight); one scheduled check, armed when the channel leaves IDLE, looks at it when due and either
 * fires or arms itself again for the time that is left (the idea of grpc-java's {@code
 * Rescheduler}). A check that finds a call in flight arms itself for a whole timeout: that call's
 * end will be recorded.
 *
 * <p>{@link #start()}, {@link #stop()} and the check run in the channel's serializer; the check
 * runs {@code onIdle} there. A timer built with a {@code null} timeout does nothing.
 */
final class IdleTimer {
  private final long timeoutNanos; // 0: disabled
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService timer;
  private final Deadline.Ticker ticker;
  private final BooleanSupplier busy;
  private final Runnable onIdle;

  /** When the last call in flight ended, or when the channel left IDLE if later. */
  private volatile long lastActiveNanos;

  // Only touched in the serializer.
  private ScheduledHandle check;

  /**
   * @param timeout the idle timeout, or null to never go IDLE on a timer
   * @param busy whether calls are in flight; any thread
   * @param onIdle takes the channel IDLE; run in the serializer
   */
  IdleTimer(
      Duration timeout,
      SynchronizationContext syncContext,
      ScheduledExecutorService timer,
      Deadline.Ticker ticker,
      BooleanSupplier busy,
      Runnable onIdle) {
    this.timeoutNanos = timeout == null ? 0 : timeout.toNanos();
    this.syncContext = syncContext;
    this.timer = timer;
    this.ticker = ticker;
    this.busy = busy;
    this.onIdle = onIdle;
  }

  /** The last call in flight ended (another may have started since). Any thread. */
  void callsEnded() {
    if (timeoutNanos > 0) {
      lastActiveNanos = ticker.nanoTime();
    }
  }

  /** The channel left IDLE: the timeout counts from now. Serializer only. */
  void start() {
    if (timeoutNanos == 0) {
      return;
    }
    lastActiveNanos = ticker.nanoTime();
    if (check == null) {
      arm(timeoutNanos);
    }
  }

  /** The channel went IDLE or is shutting down: no check until {@link #start()}. Serializer. */
  void stop() {
    if (check != null) {
      check.cancel();
      check = null;
    }
  }

  /** Whether a check is scheduled; for tests. Serializer only. */
  boolean isArmed() {
    return check != null;
  }

  private void arm(long delayNanos) {
    check = syncContext.schedule(new Check(), delayNanos, TimeUnit.NANOSECONDS, timer);
  }

  /** Due: fire when idle long enough, else arm again for the rest. */
  private final class Check implements Runnable {
    @Override
    public void run() {
      check = null;
      if (busy.getAsBoolean()) {
        arm(timeoutNanos);
        return;
      }
      long idleFor = ticker.nanoTime() - lastActiveNanos;
      if (idleFor < timeoutNanos) {
        arm(timeoutNanos - idleFor);
        return;
      }
      onIdle.run();
    }
  }
}
