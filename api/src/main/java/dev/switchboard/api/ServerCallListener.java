package dev.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a {@link ServerCall}'s events. Callbacks are serialized and run on the server's
 * executor. Exactly one of {@code onComplete} (the call closed normally) and {@code onCancel} (it
 * did not) comes last.
 *
 * @param <ReqT> request type
 * @since 0.1
 */
@ConsumerType
public abstract class ServerCallListener<ReqT> {
  /**
   * A request message arrived (one per requested message).
   *
   * @param message the decoded message
   */
  public void onMessage(ReqT message) {}

  /** The client will send no more messages. */
  public void onHalfClose() {}

  /** The call was cancelled: client cancel, deadline, connection loss. No more events follow. */
  public void onCancel() {}

  /** The call completed: the status was sent. No more events follow. */
  public void onComplete() {}

  /** The call became ready to send without excess buffering. */
  public void onReady() {}
}
