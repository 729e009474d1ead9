package dev.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

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
@ConsumerType
public abstract class ServerCall<ReqT, RespT> {
  /**
   * Allows {@code numMessages} more request messages to be delivered to the listener. Requests add
   * up.
   *
   * @param numMessages how many more, at least 0
   */
  public abstract void request(int numMessages);

  /**
   * Sends response headers; at most once, before any message.
   *
   * @param headers the headers, not null; handed over to the call
   * @throws IllegalStateException when headers were already sent or the call is closed
   */
  public abstract void sendHeaders(Metadata headers);

  /**
   * Sends a response message, after the headers (sent now when they were not). A second message for
   * a single-response method ends the call with INTERNAL.
   *
   * @param message the message, not null
   * @throws IllegalStateException when the call is closed
   */
  public abstract void sendMessage(RespT message);

  /**
   * Ends the call with {@code status} and {@code trailers}. Exactly once. Closing a single-response
   * method with OK but without a message ends it with INTERNAL instead.
   *
   * @param status the outcome, not null
   * @param trailers the trailers, not null; handed over to the call
   * @throws IllegalStateException when the call was already closed
   */
  public abstract void close(Status status, Metadata trailers);

  /** {@return whether the client cancelled, the deadline passed, or the connection was lost} */
  public abstract boolean isCancelled();

  /** {@return the method called} */
  public abstract MethodDescriptor<ReqT, RespT> getMethodDescriptor();

  /**
   * {@return whether a message can be sent now without piling up in buffers} May be called from any
   * thread. This default is always true.
   */
  public boolean isReady() {
    return true;
  }

  /**
   * Chooses the compressor for response messages ({@code "gzip"}, {@code "identity"}); call before
   * the headers are sent. Unknown names are refused with {@link IllegalArgumentException}. This
   * default does nothing.
   *
   * @param compressorName a compressor registered with the server
   */
  public void setCompression(String compressorName) {}

  /**
   * Turns compression of the following response messages on or off; it only has an effect when a
   * compressor was chosen. This default does nothing.
   *
   * @param enabled true to compress (the default), false to send uncompressed
   */
  public void setMessageCompression(boolean enabled) {}

  /**
   * Whether the request message being delivered to {@link ServerCallListener#onMessage} (or, after
   * it returned, the last one delivered) arrived compressed: its gRPC message header had the
   * compressed flag set. False before the first message, and in implementations that cannot tell.
   * Call it from the listener's callbacks, which the server runs one at a time.
   *
   * <p>For servers that must check how a client sent its messages (the interop tests' {@code
   * expect_compressed}); the message itself arrives already decompressed.
   *
   * @return whether the current (or last) request message arrived compressed
   * @since 0.2
   */
  public boolean isLastMessageCompressed() {
    return false;
  }

  /**
   * {@return the call's deadline (from {@code grpc-timeout}), or {@code null} when the client sent
   * none}
   */
  public Deadline getDeadline() {
    return null;
  }

  /** {@return the {@code :authority} the client sent, or {@code null}} */
  public String getAuthority() {
    return null;
  }

  /**
   * {@return connection attributes, such as the peer's address: see {@link
   * dev.switchboard.api.transport.TransportAttributes}}
   */
  public Attributes getAttributes() {
    return Attributes.EMPTY;
  }
}
