package dev.switchboard.api;

/**
 * The server side of one call, handed to a {@link ServerCallHandler}. The handler asks for request
 * messages with {@link #request}, sends headers (optional; sent implicitly before the first message
 * or the close), messages, and finally {@link #close} with a status and trailers, exactly once.
 *
 * <p>Not thread-safe: calls must not overlap. {@link #isCancelled()} is safe from any thread.
 *
 * @param <ReqT> request type
 * @param <RespT> response type
 * @since 0.1
 */
public abstract class ServerCall<ReqT, RespT> {
  /** Allows {@code numMessages} more request messages to be delivered to the listener. */
  public abstract void request(int numMessages);

  /** Sends response headers; at most once, before any message. */
  public abstract void sendHeaders(Metadata headers);

  /** Sends a response message. */
  public abstract void sendMessage(RespT message);

  /** Ends the call with {@code status} and {@code trailers}. Exactly once. */
  public abstract void close(Status status, Metadata trailers);

  /** True when the client cancelled, the deadline passed, or the connection was lost. */
  public abstract boolean isCancelled();

  public abstract MethodDescriptor<ReqT, RespT> getMethodDescriptor();

  /** True when a message can be sent without piling up in buffers. */
  public boolean isReady() {
    return true;
  }

  /**
   * Chooses the compressor for response messages ({@code "gzip"}, {@code "identity"}); call before
   * the headers are sent. Unknown names are refused with {@link IllegalArgumentException}.
   */
  public void setCompression(String compressorName) {}

  /** Turns compression of individual response messages on or off. */
  public void setMessageCompression(boolean enabled) {}

  /**
   * Whether the request message being delivered to {@link ServerCallListener#onMessage} (or, after
   * it returned, the last one delivered) arrived compressed: its gRPC message header had the
   * compressed flag set. False before the first message, and in implementations that cannot tell.
   * Call it from the listener's callbacks, which the server runs one at a time.
   *
   * <p>For servers that must check how a client sent its messages (the interop tests'
   * {@code expect_compressed}); the message itself arrives already decompressed.
   *
   * @since 0.2
   */
  public boolean isLastMessageCompressed() {
    return false;
  }

  /** The call's deadline (from {@code grpc-timeout}), or {@code null}. */
  public Deadline getDeadline() {
    return null;
  }

  /** The {@code :authority} the client sent, or {@code null}. */
  public String getAuthority() {
    return null;
  }

  /** Connection attributes: see {@link dev.switchboard.api.transport.TransportAttributes}. */
  public Attributes getAttributes() {
    return Attributes.EMPTY;
  }
}
