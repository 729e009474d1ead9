package dev.switchboard.compiler;

import dev.switchboard.api.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a stream delivers. Public: code compiled by the tests uses it. */
public final class RecordingObserver<V> implements StreamObserver<V> {
  public final List<V> values = new CopyOnWriteArrayList<>();
  public volatile Throwable error;
  public volatile boolean completed;

  @Override
  public void onNext(V value) {
    values.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
  }

  @Override
  public void onCompleted() {
    completed = true;
  }
}
