package dev.switchboard.api.channelz;

/**
 * Call counts of a channel, subchannel or server at one moment.
 *
 * @param started calls started
 * @param succeeded calls that ended with status OK
 * @param failed calls that ended with another status
 * @param lastStartedMillis when the last call started, in milliseconds since the epoch; 0 when none
 *     has
 * @since 0.3
 */
public record CallStats(long started, long succeeded, long failed, long lastStartedMillis) {
  /** No calls. */
  public static final CallStats NONE = new CallStats(0, 0, 0, 0);

  /**
   * {@return these counts plus {@code other}'s, with the later of the two start times}
   *
   * @param other counts to add, not null
   */
  public CallStats plus(CallStats other) {
    return new CallStats(
        started + other.started,
        succeeded + other.succeeded,
        failed + other.failed,
        Math.max(lastStartedMillis, other.lastStartedMillis));
  }
}
