package dev.switchboard.api;

import java.util.Objects;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link ClientStream} that forwards every method to another one: what a {@link
 * ClientInterceptor} extends to change a part of a call (its headers in {@link #start}, say) and
 * pass the rest on. Wrap the listener with a {@link ForwardingClientStreamListener} to see what
 * comes back.
 *
 * @param <ReqT> request message type
 * @param <RespT> response message type
 * @since 0.3
 */
@ConsumerType
public class ForwardingClientStream<ReqT, RespT> extends ClientStream<ReqT, RespT> {
  private final ClientStream<ReqT, RespT> delegate;

  /**
   * A stream forwarding to {@code delegate}.
   *
   * @param delegate the call to forward to, usually {@code next.newStream(method, callOptions)}
   */
  public ForwardingClientStream(ClientStream<ReqT, RespT> delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** {@return the call this one forwards to} */
  protected final ClientStream<ReqT, RespT> delegate() {
    return delegate;
  }

  @Override
  public void start(ClientStreamListener<RespT> listener, Metadata headers) {
    delegate.start(listener, headers);
  }

  @Override
  public void request(int numMessages) {
    delegate.request(numMessages);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    delegate.cancel(message, cause);
  }

  @Override
  public void halfClose() {
    delegate.halfClose();
  }

  @Override
  public void sendMessage(ReqT message) {
    delegate.sendMessage(message);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }

  @Override
  public Attributes getAttributes() {
    return delegate.getAttributes();
  }
}
