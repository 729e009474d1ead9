package dev.switchboard.examples.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A span exporter that keeps every ended span in memory, for the demo to print; a caller can wait
 * until a number of spans have ended (the server's span may end after the client's call returned).
 */
final class SpanRecorder implements SpanExporter {
  /** Guarded by this. */
  private final List<SpanData> ended = new ArrayList<>();

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    ended.addAll(spans);
    notifyAll();
    return CompletableResultCode.ofSuccess();
  }

  /**
   * The ended spans, once there are at least {@code count}.
   *
   * @throws TimeoutException when fewer have ended after {@code timeout}
   */
  synchronized List<SpanData> awaitEnded(int count, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ended.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(ended.size() + " of " + count + " spans ended");
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(ended);
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
