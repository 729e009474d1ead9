package dev.switchboard.interop;

import dev.switchboard.api.ServerCallListener;

/** A {@link ServerCallListener} that forwards every event to another. */
class ForwardingServerCallListener<ReqT> extends ServerCallListener<ReqT> {
  private final ServerCallListener<ReqT> delegate;

  ForwardingServerCallListener(ServerCallListener<ReqT> delegate) {
    this.delegate = delegate;
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
