package dev.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a {@link ClientStream}'s events. Callbacks are serialized: they never overlap, and run
 * on the call's executor (the one in {@link CallOptions}, else the channel's).
 *
 * <p>Order: {@code onHeaders} at most once, then {@code onMessage} as requested, and {@code
 * onClose} exactly once, last. {@code onReady} may come at any time before {@code onClose}.
 *
 * @param <RespT> response type
 * @since 0.1
 */
@ConsumerType
public abstract class ClientStreamListener<RespT> {
  /**
   * Response headers arrived. Not called for a trailers-only response (an error without messages).
   *
   * @param headers the response headers; the listener owns them
   */
  public void onHeaders(Metadata headers) {}

  /**
   * A response message arrived (one per requested message).
   *
   * @param message the decoded message
   */
  public void onMessage(RespT message) {}

  /**
   * The call ended with {@code status} and {@code trailers}: the server's, or a local failure such
   * as CANCELLED, DEADLINE_EXCEEDED or UNAVAILABLE with empty trailers.
   *
   * @param status the outcome; OK when the server completed the call
   * @param trailers the trailers; the listener owns them
   */
  public void onClose(Status status, Metadata trailers) {}

  /** The stream became ready to send without excess buffering. */
  public void onReady() {}
}
