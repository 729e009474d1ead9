package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.util.ArrayList;
import java.util.List;

/** Records a call's callbacks. Callbacks come on the call executor; tests use a direct one. */
final class RecordingListener<T> extends ClientStreamListener<T> {
  final List<T> messages = new ArrayList<>();
  Metadata headers;
  Status status;
  Metadata trailers;
  int closeCount;
  int readyCount;

  @Override
  public void onHeaders(Metadata headers) {
    this.headers = headers;
  }

  @Override
  public void onMessage(T message) {
    messages.add(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    this.status = status;
    this.trailers = trailers;
    closeCount++;
  }

  @Override
  public void onReady() {
    readyCount++;
  }

  boolean isClosed() {
    return closeCount > 0;
  }
}
