package dev.switchboard.api;

import java.util.Objects;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link ClientStreamListener} that forwards every callback to another one: what a client
 * interceptor wraps the application's listener in to see the response headers, messages or
 * trailers. Callbacks arrive as the call delivers them (one at a time, on the call's executor).
 *
 * @param <RespT> response message type
 * @since 0.3
 */
@ConsumerType
public class ForwardingClientStreamListener<RespT> extends ClientStreamListener<RespT> {
  private final ClientStreamListener<RespT> delegate;

  /**
   * A listener forwarding to {@code delegate}.
   *
   * @param delegate the listener to forward to, usually the one given to {@code start}
   */
  public ForwardingClientStreamListener(ClientStreamListener<RespT> delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void onHeaders(Metadata headers) {
    delegate.onHeaders(headers);
  }

  @Override
  public void onMessage(RespT message) {
    delegate.onMessage(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    delegate.onClose(status, trailers);
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }
}
