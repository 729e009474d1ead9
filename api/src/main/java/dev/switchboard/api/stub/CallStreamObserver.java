package dev.switchboard.api.stub;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link StreamObserver} for the outbound side of a call, with flow control in both directions.
 * Handed to applications by {@link ClientCalls} (as {@link ClientCallStreamObserver}) and {@link
 * ServerCalls} (as {@link ServerCallStreamObserver}); applications do not implement it.
 *
 * <p>Outbound: {@link #isReady()} turns false when sent messages are piling up in buffers; the
 * {@linkplain #setOnReadyHandler on-ready handler} runs when it turns true again. Sending while not
 * ready is allowed but buffers without bound.
 *
 * <p>Inbound: by default one more message is requested each time one is delivered. After {@link
 * #disableAutoInboundFlowControl()} the application asks for messages itself with {@link #request}.
 *
 * <p>Threading: like {@link StreamObserver}, calls must not overlap. The handler-setting methods
 * may only be called while the call is being set up (see the subclasses).
 *
 * @param <V> the type of values sent
 * @since 0.1
 */
@ProviderType
public abstract class CallStreamObserver<V> implements StreamObserver<V> {
  /**
   * {@return whether a message can be sent now without piling up in buffers} May be called from any
   * thread.
   */
  public abstract boolean isReady();

  /**
   * Sets the task run, on the call's callback thread, each time {@link #isReady()} turns true; it
   * should send until {@code isReady()} is false again. Only during setup.
   *
   * @param onReadyHandler the task, or {@code null} for none
   * @throws IllegalStateException after setup
   */
  public abstract void setOnReadyHandler(Runnable onReadyHandler);

  /**
   * Stops requesting an inbound message after each one delivered: call {@link #request} instead.
   * Only during setup.
   *
   * @throws IllegalStateException after setup
   */
  public abstract void disableAutoInboundFlowControl();

  /**
   * Asks for {@code count} more inbound messages; for use after disabling automatic requests.
   * Requests add up; the peer's messages are delivered as they are asked for.
   *
   * @param count how many more messages, at least 0
   */
  public abstract void request(int count);

  /**
   * Turns compression of the following outbound messages on or off; it only has an effect when a
   * compressor was chosen for the call.
   *
   * @param enable true to compress (the default), false to send uncompressed
   */
  public abstract void setMessageCompression(boolean enable);
}
