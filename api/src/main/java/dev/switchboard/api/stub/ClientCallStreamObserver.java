package dev.switchboard.api.stub;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The request side of a client call, given to a {@link ClientResponseObserver} before the call
 * starts and returned by the streaming methods of {@link ClientCalls}. Implemented by this package.
 *
 * <p>Setup: {@link #setOnReadyHandler}, {@link #disableAutoInboundFlowControl} and {@link
 * #disableAutoRequestWithInitialRequests} work only inside {@link
 * ClientResponseObserver#beforeStart}; later they throw {@link IllegalStateException}. {@link
 * #onError} cancels the call; {@link #onCompleted} half-closes it.
 *
 * @param <ReqT> request type
 * @since 0.1
 */
@ProviderType
public abstract class ClientCallStreamObserver<ReqT> extends CallStreamObserver<ReqT> {
  /**
   * Cancels the call; the response observer then gets {@code onError} with CANCELLED. Safe from any
   * thread; at least one of {@code message} and {@code cause} should be given.
   *
   * @param message why, for the CANCELLED status's description; may be {@code null}
   * @param cause the cause, kept locally in the status; may be {@code null}
   */
  public abstract void cancel(String message, Throwable cause);

  /**
   * Stops automatic inbound requests and asks for {@code requests} (may be 0) messages when the
   * call starts; {@link #disableAutoInboundFlowControl()} is this with 1. Only during setup.
   *
   * @param requests how many messages to ask for when the call starts, at least 0
   * @throws IllegalArgumentException when {@code requests} is negative
   * @throws IllegalStateException after setup
   */
  public abstract void disableAutoRequestWithInitialRequests(int requests);
}
