package dev.switchboard.api;

/**
 * One client call: grpc-java's {@code ClientCall}. Created by {@link Channel#newStream}; the
 * caller starts it with a {@link ClientStreamListener}, asks for messages with {@link #request},
 * sends with {@link #sendMessage}, and ends its side with {@link #halfClose} or {@link #cancel}.
 *
 * <p>Not thread-safe: calls must not overlap, though they may come from different threads (for
 * example from inside listener callbacks). {@link #cancel} may be called from any thread at any
 * time. The listener receives exactly one {@code onClose}.
 *
 * <p>Flow control: nothing is delivered until requested; {@link #isReady} turns false when
 * outbound data is piling up, and {@code onReady} fires when it turns true again.
 *
 * @param <ReqT> request type
 * @param <RespT> response type
 * @since 0.1
 */
public abstract class ClientStream<ReqT, RespT> {
  /** Starts the call, sending {@code headers}. Must be called exactly once, first. */
  public abstract void start(ClientStreamListener<RespT> listener, Metadata headers);

  /** Allows {@code numMessages} more messages to be delivered to the listener. */
  public abstract void request(int numMessages);

  /**
   * Ends the call early; the listener is closed with CANCELLED. Safe from any thread, idempotent,
   * and a no-op after the call has closed. At least one of {@code message} and {@code cause}
   * should be given.
   */
  public abstract void cancel(String message, Throwable cause);

  /** Sends no more messages. */
  public abstract void halfClose();

  /** Sends a message; may buffer. Check {@link #isReady()} to avoid unbounded buffering. */
  public abstract void sendMessage(ReqT message);

  /** True when a message can be sent without piling up in buffers. */
  public boolean isReady() {
    return true;
  }

  /** Turns compression of outbound messages on or off (when a compressor was chosen). */
  public void setMessageCompression(boolean enabled) {}

  /** Attributes of the transport the call runs on; empty before headers arrive. */
  public Attributes getAttributes() {
    return Attributes.EMPTY;
  }
}
