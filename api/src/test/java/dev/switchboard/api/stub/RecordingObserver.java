package dev.switchboard.api.stub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records {@code next:x}, {@code completed} and the error of a stream. */
class RecordingObserver<V> implements StreamObserver<V> {
  final List<String> events = new CopyOnWriteArrayList<>();
  volatile Throwable error;

  @Override
  public void onNext(V value) {
    events.add("next:" + value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
    events.add("error");
  }

  @Override
  public void onCompleted() {
    events.add("completed");
  }
}
