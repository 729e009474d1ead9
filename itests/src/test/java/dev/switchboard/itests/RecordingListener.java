package dev.switchboard.itests;

import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records a client call's events; {@link #awaitClose} waits for the end with a timeout. The itests
 * keep this one rather than the {@code testing} module's {@code RecordingClientListener} because
 * {@link Loopback} (and so this class) also runs inside OSGi frameworks (pax-exam, Karaf), where
 * the test classes form a probe bundle and the {@code testing} bundle, which needs JUnit 5, is not
 * deployed.
 */
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
      // Thrown on the call executor, which logs it as an error: UncaughtErrorsExtension fails the
      // test (inside a framework too, since pax-exam runs it in this JVM).
      throw new AssertionError("onClose called twice");
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
