package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import java.util.Objects;

/**
 * A transport stream that fails on {@link #start} with a fixed status and ignores everything else:
 * what a call gets when its pick fails, without touching the network.
 */
final class FailingStream<ReqT> implements ClientTransportStream<ReqT> {
  private final Status status;

  FailingStream(Status status) {
    this.status = Objects.requireNonNull(status, "status");
  }

  Status status() {
    return status;
  }

  @Override
  public void start(ClientTransportStreamListener listener) {
    listener.closed(status, new Metadata());
  }

  @Override
  public void request(int numMessages) {}

  @Override
  public void writeMessage(ReqT message) {}

  @Override
  public void flush() {}

  @Override
  public void halfClose() {}

  @Override
  public void cancel(Status reason) {}

  @Override
  public boolean isReady() {
    return false;
  }

  @Override
  public void setMessageCompression(boolean enabled) {}
}
