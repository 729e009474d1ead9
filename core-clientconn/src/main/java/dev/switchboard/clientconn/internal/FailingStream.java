package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import java.util.Objects;

/**
 * A transport stream that fails on {@link #start} with a fixed status and ignores everything else:
 * what a call gets when its pick fails ({@link StreamProgress#PROCESSED}: final), or when a picked
 * transport could not even create the stream ({@link StreamProgress#REFUSED}: nothing was sent, so
 * the call may be retried transparently).
 */
final class FailingStream<ReqT> implements ClientTransportStream<ReqT> {
  private final Status status;
  private final StreamProgress progress;

  FailingStream(Status status) {
    this(status, StreamProgress.PROCESSED);
  }

  FailingStream(Status status, StreamProgress progress) {
    this.status = Objects.requireNonNull(status, "status");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** A failing stream already started with {@code listener} (which is closed now). */
  static <ReqT> FailingStream<ReqT> started(
      Status status, StreamProgress progress, ClientTransportStreamListener listener) {
    FailingStream<ReqT> s = new FailingStream<>(status, progress);
    s.start(listener);
    return s;
  }

  Status status() {
    return status;
  }

  @Override
  public void start(ClientTransportStreamListener listener) {
    listener.closed(status, progress, new Metadata());
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
