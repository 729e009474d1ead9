package dev.switchboard.api;

import java.util.Objects;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link ServerCallListener} that forwards every callback to another one: what a server
 * interceptor returns around the handler's listener to see the requests and the end of the call.
 *
 * @param <ReqT> request message type
 * @since 0.3
 */
@ConsumerType
public class ForwardingServerCallListener<ReqT> extends ServerCallListener<ReqT> {
  private final ServerCallListener<ReqT> delegate;

  /**
   * A listener forwarding to {@code delegate}.
   *
   * @param delegate the listener to forward to, usually what {@code next.startCall} returned
   */
  public ForwardingServerCallListener(ServerCallListener<ReqT> delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void onMessage(ReqT message) {
    delegate.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    delegate.onHalfClose();
  }

  @Override
  public void onCancel() {
    delegate.onCancel();
  }

  @Override
  public void onComplete() {
    delegate.onComplete();
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }
}
