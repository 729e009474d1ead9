package dev.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One client call: grpc-java's {@code ClientCall}. Created by {@link Channel#newStream}; the caller
 * starts it with a {@link ClientStreamListener}, asks for messages with {@link #request}, sends
 * with {@link #sendMessage}, and ends its side with {@link #halfClose} or {@link #cancel}.
 *
 * <p>Not thread-safe: calls must not overlap, though they may come from different threads (for
 * example from inside listener callbacks). {@link #cancel} may be called from any thread at any
 * time. The listener receives exactly one {@code onClose}.
 *
 * <p>Flow control: nothing is delivered until requested; {@link #isReady} turns false when outbound
 * data is piling up, and {@code onReady} fires when it turns true again.
 *
 * @param <ReqT> request type
 * @param <RespT> response type
 * @since 0.1
 */
@ConsumerType
public abstract class ClientStream<ReqT, RespT> {
  /**
   * Starts the call, sending {@code headers}. Must be called exactly once, first.
   *
   * @param listener receives the call's events, not null
   * @param headers the request headers; handed over to the call, do not change them afterwards
   */
  public abstract void start(ClientStreamListener<RespT> listener, Metadata headers);

  /**
   * Allows {@code numMessages} more messages to be delivered to the listener. Requests add up.
   *
   * @param numMessages how many more, at least 0
   * @throws IllegalArgumentException when {@code numMessages} is negative
   */
  public abstract void request(int numMessages);

  /**
   * Ends the call early; the listener is closed with CANCELLED. Safe from any thread, idempotent,
   * and a no-op after the call has closed. At least one of {@code message} and {@code cause} should
   * be given.
   *
   * @param message why, for the CANCELLED status's description; may be {@code null}
   * @param cause the cause, kept locally in the status; may be {@code null}
   */
  public abstract void cancel(String message, Throwable cause);

  /** Sends no more messages: the server sees the end of the request stream. */
  public abstract void halfClose();

  /**
   * Sends a message; may buffer. Check {@link #isReady()} to avoid unbounded buffering.
   *
   * @param message the message, not null
   * @throws IllegalStateException before {@link #start} or after {@link #halfClose}
   */
  public abstract void sendMessage(ReqT message);

  /**
   * {@return whether a message can be sent now without piling up in buffers} May be called from any
   * thread. This default is always true.
   */
  public boolean isReady() {
    return true;
  }

  /**
   * Turns compression of the following outbound messages on or off; it only has an effect when a
   * compressor was chosen for the call. This default does nothing.
   *
   * @param enabled true to compress (the default), false to send uncompressed
   */
  public void setMessageCompression(boolean enabled) {}

  /**
   * {@return attributes of the transport the call runs on, such as {@link
   * dev.switchboard.api.transport.TransportAttributes#REMOTE_ADDRESS}; empty before headers arrive}
   */
  public Attributes getAttributes() {
    return Attributes.EMPTY;
  }
}
