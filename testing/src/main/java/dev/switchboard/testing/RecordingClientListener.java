package dev.switchboard.testing;

import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Records what a client call reports, for tests on a direct executor (read the results at once) and
 * over real sockets (wait with {@link #next()} and {@link #awaitClose()}). Thread-safe.
 *
 * <p>Its own checks cannot be lost on the call's thread: a second {@code onClose} is reported
 * through {@link UncaughtErrors}, which fails the test. {@link #readyChecks()} records what the
 * call's {@code isReady()} said in each {@code onReady}, once the test has said where to ask with
 * {@link #readiness(BooleanSupplier)}.
 *
 * @param <T> the response type
 */
public final class RecordingClientListener<T> extends ClientStreamListener<T> {
  private final List<T> messages = new CopyOnWriteArrayList<>();
  private final BlockingQueue<T> unread = new LinkedBlockingQueue<>();
  private final CompletableFuture<Status> closed = new CompletableFuture<>();
  private final AtomicInteger closeCount = new AtomicInteger();
  private final AtomicInteger readyCount = new AtomicInteger();
  private final List<Boolean> readyChecks = new CopyOnWriteArrayList<>();
  private volatile BooleanSupplier readiness = () -> true;
  private volatile Metadata headers;
  private volatile Metadata trailers;

  /** A listener that has recorded nothing yet. */
  public RecordingClientListener() {}

  @Override
  public void onHeaders(Metadata headers) {
    this.headers = headers;
  }

  @Override
  public void onMessage(T message) {
    messages.add(message);
    unread.add(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    this.trailers = trailers;
    closeCount.incrementAndGet();
    if (!closed.complete(status)) {
      throw UncaughtErrors.failure(
          "onClose called twice: " + closed.getNow(null) + ", then " + status);
    }
  }

  @Override
  public void onReady() {
    readyCount.incrementAndGet();
    readyChecks.add(readiness.getAsBoolean());
  }

  /**
   * Says where {@link #onReady()} asks whether the call is ready, usually the call's own {@code
   * isReady}.
   *
   * @param readiness what to ask
   */
  public void readiness(BooleanSupplier readiness) {
    this.readiness = readiness;
  }

  /** {@return the response headers, or {@code null} before they arrived} */
  public Metadata headers() {
    return headers;
  }

  /** {@return every message received so far, in order} */
  public List<T> messages() {
    return messages;
  }

  /** {@return the status the call closed with, or {@code null} while it is open} */
  public Status status() {
    return closed.getNow(null);
  }

  /** {@return the trailers the call closed with, or {@code null} while it is open} */
  public Metadata trailers() {
    return trailers;
  }

  /** {@return whether {@code onClose} has been called} */
  public boolean isClosed() {
    return closed.isDone();
  }

  /** {@return how often {@code onClose} was called: 1 once closed, unless the call is broken} */
  public int closeCount() {
    return closeCount.get();
  }

  /** {@return how often {@code onReady} was called} */
  public int readyCount() {
    return readyCount.get();
  }

  /** {@return what the call's readiness said in each {@code onReady}, in order} */
  public List<Boolean> readyChecks() {
    return readyChecks;
  }

  /**
   * Takes the next message not taken yet, waiting up to 10 s for it.
   *
   * @return the message
   * @throws InterruptedException when interrupted while waiting
   * @throws AssertionError when none arrives in time
   */
  public T next() throws InterruptedException {
    T message = unread.poll(10, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no message within 10 s");
    }
    return message;
  }

  /**
   * Waits up to 30 s for the call to close.
   *
   * @return the status it closed with
   * @throws InterruptedException when interrupted while waiting
   * @throws AssertionError when it does not close in time
   */
  public Status awaitClose() throws InterruptedException {
    try {
      return closed.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the call did not close within 30 s", e);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }
}
