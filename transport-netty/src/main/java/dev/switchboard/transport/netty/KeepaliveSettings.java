package dev.switchboard.transport.netty;

import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.ServerKeepalive;
import java.time.Duration;

/**
 * One connection's keepalive, in nanoseconds: PING after {@code timeNanos} without reads, close
 * when nothing is read within {@code timeoutNanos} after it; {@code withoutCalls}: also while no
 * call is open. {@link Long#MAX_VALUE} means never.
 */
record KeepaliveSettings(long timeNanos, long timeoutNanos, boolean withoutCalls) {
  /** Keepalive off. */
  static final KeepaliveSettings DISABLED = new KeepaliveSettings(Long.MAX_VALUE, 0, false);

  /** {@return whether PINGs are sent at all} */
  boolean enabled() {
    return timeNanos != Long.MAX_VALUE;
  }

  /**
   * A client connection's settings: the configured time raised to {@code minTimeNanos} and to the
   * channel's back-off after {@code too_many_pings}.
   */
  static KeepaliveSettings forClient(
      ClientKeepalive keepalive, long minTimeNanos, KeepaliveBackoff backoff) {
    if (!keepalive.isEnabled()) {
      return DISABLED;
    }
    long time = backoff.timeNanos(Math.max(nanos(keepalive.time()), minTimeNanos));
    return new KeepaliveSettings(time, nanos(keepalive.timeout()), keepalive.permitWithoutCalls());
  }

  /** A server connection's settings: it PINGs its clients whether calls are open or not. */
  static KeepaliveSettings forServer(ServerKeepalive keepalive) {
    long time = nanos(keepalive.time());
    return time == Long.MAX_VALUE
        ? DISABLED
        : new KeepaliveSettings(time, nanos(keepalive.timeout()), true);
  }

  /** {@return {@code d} in nanoseconds, {@link Long#MAX_VALUE} when it does not fit} */
  static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }
}
