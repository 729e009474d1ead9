package dev.switchboard.interop;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.Status;

/**
 * A {@link ServerCall} that forwards everything to another; interceptors override what they change.
 */
class ForwardingServerCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  private final ServerCall<ReqT, RespT> delegate;

  ForwardingServerCall(ServerCall<ReqT, RespT> delegate) {
    this.delegate = delegate;
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
