package dev.switchboard.transport.netty;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The keepalive time of one channel's connections after servers complained (gRFC A8): a GOAWAY
 * ENHANCE_YOUR_CALM {@code too_many_pings} doubles the time the connection used, for the
 * connections the channel makes later. Several connections complaining about the same time double
 * it once. Thread-safe; one per {@link NettyClientTransportFactory}, which serves one channel.
 */
final class KeepaliveBackoff {
  private final AtomicLong floorNanos = new AtomicLong();

  /** {@return the time a new connection uses: {@code configuredNanos} or the backed-off one} */
  long timeNanos(long configuredNanos) {
    return Math.max(configuredNanos, floorNanos.get());
  }

  /** A server sent {@code too_many_pings} to a connection that pinged every {@code usedNanos}. */
  void tooManyPings(long usedNanos) {
    long doubled = usedNanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : usedNanos * 2;
    floorNanos.accumulateAndGet(doubled, Math::max);
  }
}
