package dev.switchboard.clientconn.internal;

import dev.switchboard.api.BackoffConfig;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff after gRPC's connection-backoff spec: the first delay is {@code baseDelay},
 * each later one {@code multiplier} times the previous, capped at {@code maxDelay}; each returned
 * delay is randomized uniformly within ±{@code jitter} of that value (so a jittered delay may
 * exceed the cap by the jitter fraction, as in the spec's pseudo code).
 *
 * <p>Not thread-safe: owned by one {@code SubConn} or resolver wrapper and used in the serializer.
 */
final class Backoff {
  private final BackoffConfig config;
  private final DoubleSupplier random;
  private final long baseNanos;
  private final long maxNanos;
  private long nextNanos; // the un-jittered value of the next delay

  Backoff(BackoffConfig config) {
    this(config, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random uniform values in [0, 1); tests pass a fixed sequence
   */
  Backoff(BackoffConfig config, DoubleSupplier random) {
    this.config = Objects.requireNonNull(config, "config");
    this.random = Objects.requireNonNull(random, "random");
    this.baseNanos = config.baseDelay().toNanos();
    this.maxNanos = config.maxDelay().toNanos();
    this.nextNanos = baseNanos;
  }

  /** The next delay in nanoseconds, and advances the sequence. */
  long nextBackoffNanos() {
    long current = nextNanos;
    nextNanos = (long) Math.min(current * config.multiplier(), (double) maxNanos);
    double spread = config.jitter() * current;
    double offset = (random.getAsDouble() * 2 - 1) * spread; // uniform in [-spread, spread)
    return Math.max(0, current + (long) offset);
  }

  /** {@return a new backoff with the same settings, at its start} */
  Backoff copy() {
    return new Backoff(config, random);
  }

  /** Starts over at {@code baseDelay}: after a successful connection or resolution. */
  void reset() {
    nextNanos = baseNanos;
  }

  /** The minimum time one connection attempt is given, in nanoseconds. */
  long minConnectTimeoutNanos() {
    return config.minConnectTimeout().toNanos();
  }
}
