package dev.switchboard.api;

/**
 * How many bytes of request messages a channel keeps so that calls can be retried or hedged (gRFC
 * A6): per call, and for all the calls of the channel together. A call whose messages no longer fit
 * stops being retryable (its current attempt carries on; transparent retries, configured retries
 * and new hedges are off for it), and its bytes are given back. The defaults are grpc-java's.
 *
 * @param perCallBytes the most one call keeps; at least 0 (0: no message is kept)
 * @param channelBytes the most all calls of the channel keep together; at least 0
 * @since 0.3
 */
public record RetryBufferLimits(long perCallBytes, long channelBytes) {
  /** 1 MiB per call, 16 MiB per channel. */
  public static final RetryBufferLimits DEFAULT = new RetryBufferLimits(1 << 20, 16 << 20);

  /**
   * Checks the limits.
   *
   * @param perCallBytes at least 0
   * @param channelBytes at least 0
   * @throws IllegalArgumentException when either is negative
   */
  public RetryBufferLimits {
    if (perCallBytes < 0 || channelBytes < 0) {
      throw new IllegalArgumentException(
          "retry buffer limits must not be negative: " + perCallBytes + ", " + channelBytes);
    }
  }
}
