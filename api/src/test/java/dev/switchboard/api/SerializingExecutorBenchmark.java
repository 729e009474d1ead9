package dev.switchboard.api;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: the per-call serializer's own cost (queueing, the run loop, the hand-back), on a direct
 * delegate so that no thread hop is measured: one task at a time (a unary call's events) and a
 * burst of 16 queued while the drain runs (a streaming call). Run with {@code benchmarks/bin/jmh.sh
 * api SerializingExecutor}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializingExecutorBenchmark {
  private static final int BURST = 16;

  private final SerializingExecutor serializer = new SerializingExecutor(Runnable::run);

  @Benchmark
  public void oneTask(Blackhole bh) {
    serializer.execute(() -> bh.consume(1));
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void burst(Blackhole bh) {
    serializer.execute(
        () -> {
          for (int i = 1; i < BURST; i++) {
            serializer.execute(() -> bh.consume(2)); // queued behind the running task
          }
        });
  }
}
