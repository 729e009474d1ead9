package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

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

  /** What {@code isReady()} said in each {@code onReady}; the test sets where to ask. */
  final List<Boolean> readyChecks = new ArrayList<>();
  BooleanSupplier readiness = () -> true;

  @Override
  public void onReady() {
    readyCount++;
    readyChecks.add(readiness.getAsBoolean());
  }

  boolean isClosed() {
    return closeCount > 0;
  }
}
