package dev.switchboard.transport.netty;

import dev.switchboard.api.ServerKeepalive;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * How long one server connection may live (gRFC A9): closed gracefully once it has had no call for
 * the max idle time, or once it reaches its max age (randomized by ±10 %), then closed at once when
 * the calls still open have not finished within the age grace. Event loop only: the scheduler is
 * the connection's event loop (a fake clock's in tests) and every method runs on it.
 */
final class ConnectionLifetime {
  /** Jitter applied to the max age: ±10 %. */
  static final double AGE_JITTER = 0.1;

  /** What the lifetime asks of its connection. */
  interface Actions {
    /** Two-step GOAWAY; calls already open may finish. */
    void closeGracefully(String reason);

    /** Closes now, failing the calls still open. */
    void closeNow(String reason);
  }

  private final Actions actions;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final long maxIdleNanos;
  private final long maxAgeNanos;
  private final long graceNanos;
  private final DoubleSupplier random;

  private boolean callsOpen;
  private boolean stopped;
  private long idleSince;
  private ScheduledFuture<?> idleTimer;
  private ScheduledFuture<?> ageTimer;
  private ScheduledFuture<?> graceTimer;

  /**
   * @param random uniform in [0, 1): the max age's jitter
   */
  ConnectionLifetime(
      Actions actions,
      ScheduledExecutorService scheduler,
      LongSupplier nanoTime,
      ServerKeepalive settings,
      DoubleSupplier random) {
    this.actions = actions;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
    this.maxIdleNanos = KeepaliveSettings.nanos(settings.maxConnectionIdle());
    this.maxAgeNanos = KeepaliveSettings.nanos(settings.maxConnectionAge());
    this.graceNanos = KeepaliveSettings.nanos(settings.maxConnectionAgeGrace());
    this.random = random;
  }

  /** The connection was accepted: the age and idle clocks start. */
  void start() {
    if (maxAgeNanos != Long.MAX_VALUE) {
      ageTimer = scheduler.schedule(this::ageReached, jitteredAge(), TimeUnit.NANOSECONDS);
    }
    idleSince = nanoTime.getAsLong();
    scheduleIdleCheck(maxIdleNanos);
  }

  /** {@return the max age randomized by ±{@value #AGE_JITTER}} */
  long jitteredAge() {
    double factor = 1 - AGE_JITTER + 2 * AGE_JITTER * random.getAsDouble();
    double age = maxAgeNanos * factor;
    return age >= Long.MAX_VALUE ? Long.MAX_VALUE - 1 : Math.max(1, (long) age);
  }

  /** The first call opened. */
  void callsStarted() {
    callsOpen = true;
  }

  /** The last call ended: the connection is idle from now on. */
  void callsEnded() {
    callsOpen = false;
    idleSince = nanoTime.getAsLong();
    if (idleTimer == null) {
      scheduleIdleCheck(maxIdleNanos);
    }
  }

  /** The connection is gone: no more timers. */
  void stop() {
    stopped = true;
    cancel(idleTimer);
    cancel(ageTimer);
    cancel(graceTimer);
  }

  private void scheduleIdleCheck(long delayNanos) {
    if (maxIdleNanos != Long.MAX_VALUE && !stopped) {
      idleTimer = scheduler.schedule(this::idleCheck, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void idleCheck() {
    idleTimer = null;
    if (callsOpen || stopped) {
      return; // callsEnded schedules the next check
    }
    long idleFor = nanoTime.getAsLong() - idleSince;
    if (idleFor >= maxIdleNanos) {
      actions.closeGracefully("max connection idle");
    } else {
      scheduleIdleCheck(maxIdleNanos - idleFor);
    }
  }

  private void ageReached() {
    if (stopped) {
      return;
    }
    if (graceNanos != Long.MAX_VALUE) {
      graceTimer = scheduler.schedule(this::graceOver, graceNanos, TimeUnit.NANOSECONDS);
    }
    actions.closeGracefully("max connection age");
  }

  private void graceOver() {
    if (!stopped) {
      actions.closeNow("max connection age grace is over");
    }
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
