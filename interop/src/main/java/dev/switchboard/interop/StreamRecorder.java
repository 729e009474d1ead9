package dev.switchboard.interop;

import dev.switchboard.api.Status;
import dev.switchboard.api.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response observer that records what a call returns: every message (also handed out one by one
 * through {@link #nextMessage}), then how it ended. Thread-safe.
 */
class StreamRecorder<T> implements StreamObserver<T> {
  private final List<T> messages = new ArrayList<>();
  private final BlockingQueue<T> unread = new LinkedBlockingQueue<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile Throwable error;

  @Override
  public synchronized void onNext(T value) {
    messages.add(value);
    unread.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
    done.countDown();
  }

  @Override
  public void onCompleted() {
    done.countDown();
  }

  /** Waits for the end of the call. */
  void awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
    if (!done.await(timeout, unit)) {
      throw new AssertionError("the call did not end within " + unit.toMillis(timeout) + " ms");
    }
  }

  /** The next message not yet taken, waiting for it. */
  T nextMessage(long timeout, TimeUnit unit) throws InterruptedException {
    T next = unread.poll(timeout, unit);
    if (next == null) {
      throw new AssertionError(
          "no response within "
              + unit.toMillis(timeout)
              + " ms"
              + (error != null ? "; the call failed: " + Status.fromThrowable(error) : ""));
    }
    return next;
  }

  synchronized List<T> messages() {
    return new ArrayList<>(messages);
  }

  /** The failure, or {@code null} when the call completed normally (or has not ended). */
  Throwable error() {
    return error;
  }

  /** The status the call ended with; OK when it completed normally. */
  Status status() {
    Throwable t = error;
    return t == null ? Status.OK : Status.fromThrowable(t);
  }
}
