package dev.switchboard.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Reconnect backoff parameters, per gRPC's connection-backoff spec: first delay {@code baseDelay},
 * multiplied by {@code multiplier} after each failure up to {@code maxDelay}, each randomized by
 * ±{@code jitter}; each attempt gets at least {@code minConnectTimeout}. Immutable.
 *
 * @param baseDelay first delay (default 1 s)
 * @param multiplier growth factor (default 1.6)
 * @param jitter relative randomization, 0..1 (default 0.2)
 * @param maxDelay cap (default 120 s)
 * @param minConnectTimeout minimum time allowed for one connection attempt (default 20 s)
 * @since 0.1
 */
public record BackoffConfig(
    Duration baseDelay,
    double multiplier,
    double jitter,
    Duration maxDelay,
    Duration minConnectTimeout) {
  /** gRPC's defaults: 1 s, ×1.6, ±20 %, at most 120 s, at least 20 s per attempt. */
  public static final BackoffConfig DEFAULT =
      new BackoffConfig(
          Duration.ofSeconds(1), 1.6, 0.2, Duration.ofSeconds(120), Duration.ofSeconds(20));

  /**
   * Checks the components.
   *
   * @param baseDelay first delay
   * @param multiplier growth factor, at least 1
   * @param jitter relative randomization, 0..1
   * @param maxDelay cap, at least {@code baseDelay}
   * @param minConnectTimeout minimum time allowed for one connection attempt
   * @throws NullPointerException when a duration is null
   * @throws IllegalArgumentException when {@code baseDelay} is negative or above {@code maxDelay},
   *     {@code multiplier} is below 1, {@code jitter} is outside 0..1 or {@code minConnectTimeout}
   *     is negative
   */
  public BackoffConfig {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(minConnectTimeout, "minConnectTimeout");
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1]: " + jitter);
    }
    if (minConnectTimeout.isNegative()) {
      throw new IllegalArgumentException("minConnectTimeout is negative");
    }
  }
}
