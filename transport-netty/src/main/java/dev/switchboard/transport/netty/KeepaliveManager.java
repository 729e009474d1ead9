package dev.switchboard.transport.netty;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keepalive PINGs for one connection, on either side (gRFC A8): once the connection has read
 * nothing for the keepalive time, a PING; once it then reads nothing (neither the acknowledgement
 * nor any other frame) for the timeout, the connection is declared dead. Runs only while the
 * transport is started and, unless {@link KeepaliveSettings#withoutCalls()}, while calls are open.
 *
 * <p>Reads are frequent, so they only move the due time; the timer, when it fires early, sleeps
 * again for the rest. Event loop only: the scheduler is the connection's event loop (a fake clock's
 * in tests) and every method runs on it.
 */
final class KeepaliveManager {
  /** What the manager asks of its connection. */
  interface Pinger {
    /** Sends a PING and flushes it. */
    void ping();

    /** Nothing was read within the timeout after a PING: the connection is dead. */
    void pingTimedOut();
  }

  private enum State {
    /** Not pinging: before start, or no call open when calls are required. */
    IDLE,
    /** Waiting for the connection to be silent for the keepalive time. */
    PING_SCHEDULED,
    /** PING sent, waiting for a read within the timeout. */
    PING_SENT,
    /** PING sent, then the last call ended: a read makes it {@link #IDLE}. */
    IDLE_AND_PING_SENT,
    /** Stopped for good. */
    DONE
  }

  private final Pinger pinger;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoTime;
  private final KeepaliveSettings settings;

  private State state = State.IDLE;
  private boolean started;
  private boolean callsOpen;
  private long pingDueAt;
  private ScheduledFuture<?> pingTimer;
  private ScheduledFuture<?> timeoutTimer;

  KeepaliveManager(
      Pinger pinger,
      ScheduledExecutorService scheduler,
      LongSupplier nanoTime,
      KeepaliveSettings settings) {
    this.pinger = pinger;
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
    this.settings = settings;
  }

  /** The transport is up (the peer's SETTINGS arrived). */
  void start() {
    if (started || state == State.DONE) {
      return;
    }
    started = true;
    if (callsOpen || settings.withoutCalls()) {
      schedulePing();
    }
  }

  /** The first call opened. */
  void callsStarted() {
    callsOpen = true;
    if (!started) {
      return;
    }
    if (state == State.IDLE) {
      schedulePing();
    } else if (state == State.IDLE_AND_PING_SENT) {
      state = State.PING_SENT;
    }
  }

  /** The last call ended. */
  void callsEnded() {
    callsOpen = false;
    if (settings.withoutCalls()) {
      return;
    }
    if (state == State.PING_SCHEDULED) {
      state = State.IDLE;
      cancel(pingTimer);
    } else if (state == State.PING_SENT) {
      state = State.IDLE_AND_PING_SENT;
    }
  }

  /** The connection read something: the peer is alive. */
  void onRead() {
    long now = nanoTime.getAsLong();
    pingDueAt = now + settings.timeNanos();
    if (state == State.PING_SENT) {
      cancel(timeoutTimer);
      schedulePing();
    } else if (state == State.IDLE_AND_PING_SENT) {
      cancel(timeoutTimer);
      state = State.IDLE;
    }
  }

  /** The connection is gone: no more timers. */
  void stop() {
    state = State.DONE;
    cancel(pingTimer);
    cancel(timeoutTimer);
  }

  private void schedulePing() {
    state = State.PING_SCHEDULED;
    pingDueAt = nanoTime.getAsLong() + settings.timeNanos();
    pingTimer = scheduler.schedule(this::pingDue, settings.timeNanos(), TimeUnit.NANOSECONDS);
  }

  private void pingDue() {
    if (state != State.PING_SCHEDULED) {
      return;
    }
    long wait = pingDueAt - nanoTime.getAsLong();
    if (wait > 0) {
      pingTimer = scheduler.schedule(this::pingDue, wait, TimeUnit.NANOSECONDS);
      return;
    }
    state = State.PING_SENT;
    timeoutTimer =
        scheduler.schedule(this::timedOut, settings.timeoutNanos(), TimeUnit.NANOSECONDS);
    pinger.ping();
  }

  private void timedOut() {
    if (state == State.PING_SENT || state == State.IDLE_AND_PING_SENT) {
      stop();
      pinger.pingTimedOut();
    }
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
