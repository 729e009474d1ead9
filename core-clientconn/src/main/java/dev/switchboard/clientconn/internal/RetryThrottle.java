package dev.switchboard.clientconn.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's retry throttle (gRFC A6 {@code retryThrottling}): a token bucket of {@code
 * maxTokens}, full at first. An attempt that fails with a retryable code takes a token, a call that
 * succeeds gives back {@code tokenRatio}; while the bucket is at or below half, failed attempts are
 * not retried. Lock-free; counted in thousandths, as the spec's three decimal places allow.
 */
final class RetryThrottle {
  private final int maxMilliTokens;
  private final int ratioMilliTokens;
  private final AtomicInteger milliTokens;

  RetryThrottle(double maxTokens, double tokenRatio) {
    this.maxMilliTokens = (int) Math.round(maxTokens * 1000);
    this.ratioMilliTokens = (int) Math.round(tokenRatio * 1000);
    this.milliTokens = new AtomicInteger(maxMilliTokens);
  }

  /** An attempt failed with a retryable code: takes a token; true when a retry is still allowed. */
  boolean attemptFailed() {
    int after = milliTokens.updateAndGet(t -> Math.max(0, t - 1000));
    return after > maxMilliTokens / 2;
  }

  /** Whether retries and hedges are allowed now: the bucket is above half. */
  boolean allows() {
    return milliTokens.get() > maxMilliTokens / 2;
  }

  /** A call succeeded: gives back the ratio, up to the maximum. */
  void callSucceeded() {
    milliTokens.updateAndGet(t -> Math.min(maxMilliTokens, t + ratioMilliTokens));
  }

  /** Tokens left, for tests and introspection. */
  double tokens() {
    return milliTokens.get() / 1000.0;
  }
}
