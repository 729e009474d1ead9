package dev.switchboard.benchmarks;

import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.benchmarks.proto.BenchmarkServiceSwitchboard.BenchmarkServiceStub;
import dev.switchboard.benchmarks.proto.Messages.SimpleRequest;
import dev.switchboard.benchmarks.proto.Messages.SimpleResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The benchmark client's closed-loop load: each slot keeps one call in flight until the end of the
 * measured phase (a unary call after another, or a ping-pong on one stream), recording every
 * latency in its own histogram, merged by {@link BenchmarkClient} afterwards.
 */
final class ClosedLoopSlots {
  /** Slowest latency recorded without resizing a histogram; longer ones resize it. */
  static final long HISTOGRAM_RANGE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private ClosedLoopSlots() {}

  /** One closed-loop slot: one call in flight at a time, its latencies in its own histogram. */
  abstract static class Slot {
    final Histogram histogram;
    final long endNanos;
    private final CountDownLatch done;
    private volatile boolean finished;
    Throwable failure; // read after finished

    Slot(long endNanos, CountDownLatch done, int digits) {
      this.histogram = new Histogram(HISTOGRAM_RANGE_NANOS, digits);
      this.histogram.setAutoResize(true);
      this.endNanos = endNanos;
      this.done = done;
    }

    abstract void start();

    final void finish(Throwable t) {
      if (finished) {
        return;
      }
      failure = t;
      finished = true;
      done.countDown();
    }

    final boolean isFinished() {
      return finished;
    }
  }

  /** Unary: on each completion records the latency and, until the end, starts the next call. */
  static final class UnarySlot extends Slot implements StreamObserver<SimpleResponse> {
    private final BenchmarkServiceStub stub;
    private final SimpleRequest request;
    private long callStart;

    UnarySlot(
        BenchmarkServiceStub stub,
        SimpleRequest request,
        long endNanos,
        CountDownLatch done,
        int digits) {
      super(endNanos, done, digits);
      this.stub = stub;
      this.request = request;
    }

    @Override
    void start() {
      callStart = System.nanoTime();
      call();
    }

    private void call() {
      try {
        stub.unaryCall(request, this);
      } catch (RuntimeException e) {
        finish(e);
      }
    }

    @Override
    public void onNext(SimpleResponse value) {}

    @Override
    public void onError(Throwable t) {
      finish(t);
    }

    @Override
    public void onCompleted() {
      long now = System.nanoTime();
      histogram.recordValue(now - callStart);
      if (now - endNanos < 0) {
        callStart = now;
        call();
      } else {
        finish(null);
      }
    }
  }

  /** Ping-pong on one StreamingCall: a request, its response, the next request... */
  static final class PingPongSlot extends Slot implements StreamObserver<SimpleResponse> {
    private final BenchmarkServiceStub stub;
    private final SimpleRequest request;
    private StreamObserver<SimpleRequest> requests;
    private long sent;

    PingPongSlot(
        BenchmarkServiceStub stub,
        SimpleRequest request,
        long endNanos,
        CountDownLatch done,
        int digits) {
      super(endNanos, done, digits);
      this.stub = stub;
      this.request = request;
    }

    @Override
    void start() {
      try {
        requests = stub.streamingCall(this);
        sent = System.nanoTime();
        requests.onNext(request);
      } catch (RuntimeException e) {
        finish(e);
      }
    }

    @Override
    public void onNext(SimpleResponse value) {
      long now = System.nanoTime();
      histogram.recordValue(now - sent);
      if (now - endNanos < 0) {
        sent = now;
        requests.onNext(request);
      } else {
        requests.onCompleted(); // the server ends the call in return: onCompleted below
      }
    }

    @Override
    public void onError(Throwable t) {
      finish(t);
    }

    @Override
    public void onCompleted() {
      finish(null);
    }
  }
}
