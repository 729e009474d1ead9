package dev.switchboard.api;

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
public abstract class ClientStreamListener<RespT> {
  /** Response headers arrived. */
  public void onHeaders(Metadata headers) {}

  /** A response message arrived (one per requested message). */
  public void onMessage(RespT message) {}

  /** The call ended with {@code status} and {@code trailers}. */
  public void onClose(Status status, Metadata trailers) {}

  /** The stream became ready to send without excess buffering. */
  public void onReady() {}
}
