package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import java.util.EnumSet;
import java.util.Set;

/**
 * A method's {@code retryPolicy} (gRFC A6): how many attempts, the randomized exponential backoff
 * between them, and which status codes are worth another attempt. Immutable.
 *
 * @param maxAttempts attempts in all, the first included; 2 to {@link #MAX_ATTEMPTS}
 * @param initialBackoffNanos the first backoff's upper bound
 * @param maxBackoffNanos the cap on the backoff's upper bound
 * @param backoffMultiplier how the upper bound grows per retry
 * @param retryableCodes the codes that are retried
 */
record RetryPolicy(
    int maxAttempts,
    long initialBackoffNanos,
    long maxBackoffNanos,
    double backoffMultiplier,
    Set<Status.Code> retryableCodes) {
  /** A6 caps attempts at 5 whatever the config says. */
  static final int MAX_ATTEMPTS = 5;

  RetryPolicy {
    retryableCodes = Set.copyOf(retryableCodes);
  }

  /**
   * The delay before retry number {@code retry} (1 for the first): uniformly random in [0, bound),
   * where bound = min(initial × multiplier^(retry-1), max), as A6 says.
   */
  long backoffNanos(int retry, double random) {
    double bound = initialBackoffNanos * Math.pow(backoffMultiplier, retry - 1);
    return (long) (random * Math.min(bound, maxBackoffNanos));
  }

  boolean retries(Status.Code code) {
    return retryableCodes.contains(code);
  }

  /** Parses status codes given as names ("UNAVAILABLE") or numbers (14). */
  static Set<Status.Code> codes(Object value, String path) {
    if (!(value instanceof java.util.List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid service config: " + path + " must be a non-empty list of status codes");
    }
    Set<Status.Code> out = EnumSet.noneOf(Status.Code.class);
    for (Object item : list) {
      Status.Code code = null;
      if (item instanceof String name) {
        try {
          code = Status.Code.valueOf(name);
        } catch (IllegalArgumentException e) {
          code = null;
        }
      } else if (item instanceof Double d && d == Math.rint(d)) {
        for (Status.Code c : Status.Code.values()) {
          if (c.value() == d.intValue()) {
            code = c;
          }
        }
      }
      if (code == null || code == Status.Code.OK) {
        throw new IllegalArgumentException(
            "invalid service config: " + path + " has an invalid status code " + item);
      }
      out.add(code);
    }
    return out;
  }
}
