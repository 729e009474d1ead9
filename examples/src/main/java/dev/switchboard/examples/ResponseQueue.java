package dev.switchboard.examples;

import dev.switchboard.api.Status;
import dev.switchboard.api.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response observer that queues what the call delivers, so a demo thread can take replies one at
 * a time, in order, with a timeout. Thread-safe.
 *
 * @param <T> response type
 */
final class ResponseQueue<T> implements StreamObserver<T> {
  /** The end of the stream: completed when {@code error} is null. */
  private record End(Throwable error) {}

  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final Duration timeout;

  ResponseQueue(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public void onNext(T value) {
    events.add(value);
  }

  @Override
  public void onError(Throwable t) {
    events.add(new End(t));
  }

  @Override
  public void onCompleted() {
    events.add(new End(null));
  }

  /** The next reply; fails if the call ends or nothing comes in time. */
  T next() throws InterruptedException {
    Object event = take();
    if (event instanceof End end) {
      throw new IllegalStateException(
          end.error == null
              ? "the call completed; expected another reply"
              : "the call failed: " + Status.fromThrowable(end.error),
          end.error);
    }
    @SuppressWarnings("unchecked")
    T value = (T) event;
    return value;
  }

  /** Waits for the successful end of the call; fails on an error or an unexpected reply. */
  void awaitCompleted() throws InterruptedException {
    Object event = take();
    if (!(event instanceof End end)) {
      throw new IllegalStateException("expected the end of the call, got another reply: " + event);
    }
    if (end.error != null) {
      throw new IllegalStateException(
          "the call failed: " + Status.fromThrowable(end.error), end.error);
    }
  }

  private Object take() throws InterruptedException {
    Object event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      throw new IllegalStateException("nothing from the server within " + timeout);
    }
    return event;
  }
}
