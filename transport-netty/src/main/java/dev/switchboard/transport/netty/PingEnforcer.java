package dev.switchboard.transport.netty;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's PING policy (gRFC A8): a client's PING that comes less than the permitted interval
 * after the previous one, with no headers or data sent by the server in between, is a strike; the
 * connection is closed after {@value #MAX_PING_STRIKES} strikes are exceeded. Without open calls,
 * unless permitted, the interval is two hours. Event loop only.
 */
final class PingEnforcer {
  /** Strikes tolerated; one more closes the connection. */
  static final int MAX_PING_STRIKES = 2;

  /** The permitted interval on a connection without calls when PINGs there are not permitted. */
  static final long IDLE_PING_INTERVAL_NANOS = TimeUnit.HOURS.toNanos(2);

  private final long minIntervalNanos;
  private final boolean permitWithoutCalls;
  private final LongSupplier nanoTime;

  private boolean pinged;
  private long lastAcceptedPing;
  private int strikes;

  PingEnforcer(long minIntervalNanos, boolean permitWithoutCalls, LongSupplier nanoTime) {
    this.minIntervalNanos = minIntervalNanos;
    this.permitWithoutCalls = permitWithoutCalls;
    this.nanoTime = nanoTime;
  }

  /** The server sent headers or data: the client's PINGs count afresh. */
  void reset() {
    pinged = false;
    strikes = 0;
  }

  /**
   * A PING arrived.
   *
   * @param hasCalls whether the connection has calls open
   * @return whether the client has now sent too many
   */
  boolean pingReceived(boolean hasCalls) {
    long now = nanoTime.getAsLong();
    long allowed = hasCalls || permitWithoutCalls ? minIntervalNanos : IDLE_PING_INTERVAL_NANOS;
    if (!pinged || now - lastAcceptedPing >= allowed) {
      pinged = true;
      lastAcceptedPing = now;
      return false;
    }
    return ++strikes > MAX_PING_STRIKES;
  }
}
