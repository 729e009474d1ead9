package dev.switchboard.itests;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Status;
import dev.switchboard.testing.UncaughtErrors;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Records a client call's events; {@link #awaitClose} waits for the end with a timeout. */
final class RecordingListener<T> extends ClientStreamListener<T> {
  final CompletableFuture<Metadata> headers = new CompletableFuture<>();
  final List<T> messages = new CopyOnWriteArrayList<>();
  final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
  final CompletableFuture<Status> status = new CompletableFuture<>();
  volatile Metadata trailers;

  @Override
  public void onHeaders(Metadata h) {
    headers.complete(h);
  }

  @Override
  public void onMessage(T message) {
    messages.add(message);
    queue.add(message);
  }

  @Override
  public void onClose(Status s, Metadata t) {
    trailers = t;
    if (!status.complete(s)) {
      throw UncaughtErrors.failure("onClose called twice");
    }
  }

  /** The next message, waiting at most 10 s. */
  T next() throws InterruptedException {
    T m = queue.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 10 s");
    }
    return m;
  }

  Status awaitClose() throws Exception {
    return status.get(30, TimeUnit.SECONDS);
  }
}
