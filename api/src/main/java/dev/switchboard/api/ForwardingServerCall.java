package dev.switchboard.api;

import java.util.Objects;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link ServerCall} that forwards every method to another one: what a {@link ServerInterceptor}
 * extends to change what the handler sends (headers, trailers, status) and pass the rest on.
 *
 * @param <ReqT> request message type
 * @param <RespT> response message type
 * @since 0.3
 */
@ConsumerType
public class ForwardingServerCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  private final ServerCall<ReqT, RespT> delegate;

  /**
   * A call forwarding to {@code delegate}.
   *
   * @param delegate the call to forward to, usually the one the interceptor was given
   */
  public ForwardingServerCall(ServerCall<ReqT, RespT> delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** {@return the call this one forwards to} */
  protected final ServerCall<ReqT, RespT> delegate() {
    return delegate;
  }

  @Override
  public void request(int numMessages) {
    delegate.request(numMessages);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    delegate.sendHeaders(headers);
  }

  @Override
  public void sendMessage(RespT message) {
    delegate.sendMessage(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    delegate.close(status, trailers);
  }

  @Override
  public boolean isCancelled() {
    return delegate.isCancelled();
  }

  @Override
  public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
    return delegate.getMethodDescriptor();
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public void setCompression(String compressorName) {
    delegate.setCompression(compressorName);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }

  @Override
  public boolean isLastMessageCompressed() {
    return delegate.isLastMessageCompressed();
  }

  @Override
  public Deadline getDeadline() {
    return delegate.getDeadline();
  }

  @Override
  public String getAuthority() {
    return delegate.getAuthority();
  }

  @Override
  public Attributes getAttributes() {
    return delegate.getAttributes();
  }
}
