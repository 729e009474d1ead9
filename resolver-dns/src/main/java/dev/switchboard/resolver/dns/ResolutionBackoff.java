package dev.switchboard.resolver.dns;

import dev.switchboard.api.BackoffConfig;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Delays between retries of a failing lookup, per gRPC's connection-backoff spec: {@code baseDelay}
 * first, then each delay {@code multiplier} times the one before, at most {@code maxDelay}; every
 * delay handed out is spread uniformly over ±{@code jitter} of its nominal value.
 *
 * <p>Not thread-safe: owned by one resolver and used only in its serializer.
 */
final class ResolutionBackoff {
  private final double multiplier;
  private final double jitter;
  private final long baseNanos;
  private final long maxNanos;
  private final DoubleSupplier random;
  private long nominalNanos; // the delay the next call hands out, before jitter

  /**
   * @param random uniform values in [0, 1)
   */
  ResolutionBackoff(BackoffConfig config, DoubleSupplier random) {
    Objects.requireNonNull(config, "config");
    this.multiplier = config.multiplier();
    this.jitter = config.jitter();
    this.baseNanos = config.baseDelay().toNanos();
    this.maxNanos = config.maxDelay().toNanos();
    this.random = Objects.requireNonNull(random, "random");
    this.nominalNanos = baseNanos;
  }

  /** The delay before the next retry, in nanoseconds; each call moves one step up the curve. */
  long nextDelayNanos() {
    long nominal = nominalNanos;
    nominalNanos = (long) Math.min(nominal * multiplier, (double) maxNanos);
    double spread = (random.getAsDouble() * 2 - 1) * jitter; // in [-jitter, jitter)
    return Math.max(0L, nominal + (long) (nominal * spread));
  }

  /** Back to {@code baseDelay}: the lookup succeeded. */
  void reset() {
    nominalNanos = baseNanos;
  }
}
