package dev.switchboard.api;

/**
 * Limits on HTTP/2 frames that cost the receiver work but carry no request: a peer that goes over
 * one is disconnected with GOAWAY ENHANCE_YOUR_CALM instead of using up memory or CPU. The same
 * limits exist on the server ({@link ServerOptions.Builder#frameLimits}) and the client ({@link
 * DialOptions.Builder#frameLimits}), since either peer can be the hostile one. The defaults are
 * Netty's, which grpc-java uses too.
 *
 * @param maxQueuedControlFrames how many control frames the codec writes on its own (SETTINGS and
 *     PING acknowledgements, RST_STREAM) may wait for a peer that does not read; positive
 * @param maxConsecutiveEmptyDataFrames how many DATA frames without payload and without END_STREAM
 *     the peer may send in a row; positive
 * @param maxSmallContinuationFrames how many CONTINUATION frames with a small payload (under 8 KiB)
 *     one header block may have; positive. The header block as a whole is bounded by the header
 *     list size limit.
 * @since 0.3
 */
public record FrameLimits(
    int maxQueuedControlFrames, int maxConsecutiveEmptyDataFrames, int maxSmallContinuationFrames) {
  /** 10000 queued control frames, 2 empty DATA frames, 16 small CONTINUATION frames. */
  public static final FrameLimits DEFAULT = new FrameLimits(10_000, 2, 16);

  /**
   * Checks the limits.
   *
   * @param maxQueuedControlFrames positive
   * @param maxConsecutiveEmptyDataFrames positive
   * @param maxSmallContinuationFrames positive
   * @throws IllegalArgumentException when a limit is not positive
   */
  public FrameLimits {
    if (maxQueuedControlFrames <= 0
        || maxConsecutiveEmptyDataFrames <= 0
        || maxSmallContinuationFrames <= 0) {
      throw new IllegalArgumentException(
          "frame limits must be positive: "
              + maxQueuedControlFrames
              + ", "
              + maxConsecutiveEmptyDataFrames
              + ", "
              + maxSmallContinuationFrames);
    }
  }

  /**
   * {@return these limits with {@code frames} queued control frames}
   *
   * @param frames positive
   */
  public FrameLimits withMaxQueuedControlFrames(int frames) {
    return new FrameLimits(frames, maxConsecutiveEmptyDataFrames, maxSmallContinuationFrames);
  }

  /**
   * {@return these limits with {@code frames} consecutive empty DATA frames}
   *
   * @param frames positive
   */
  public FrameLimits withMaxConsecutiveEmptyDataFrames(int frames) {
    return new FrameLimits(maxQueuedControlFrames, frames, maxSmallContinuationFrames);
  }

  /**
   * {@return these limits with {@code frames} small CONTINUATION frames per header block}
   *
   * @param frames positive
   */
  public FrameLimits withMaxSmallContinuationFrames(int frames) {
    return new FrameLimits(maxQueuedControlFrames, maxConsecutiveEmptyDataFrames, frames);
  }
}
