package dev.switchboard.clientconn.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: what a call with a deadline pays for its timer (schedule, then cancel when the call ends
 * first), from 4 threads at once: one shared scheduled pool (one queue lock for every call) against
 * the channels' {@link ShardedTimer}. Run with {@code benchmarks/bin/jmh.sh core-clientconn Timer}
 * on a machine with at least 4 cores to see the contention.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(4)
public class TimerBenchmark {
  @Param({"shared", "sharded"})
  public String timer;

  private ScheduledExecutorService scheduler;

  @Setup
  public void setUp() {
    if (timer.equals("shared")) {
      ScheduledThreadPoolExecutor shared = new ScheduledThreadPoolExecutor(1);
      shared.setRemoveOnCancelPolicy(true);
      scheduler = shared;
    } else {
      scheduler = new ShardedTimer(Runtime.getRuntime().availableProcessors(), Thread::new);
    }
  }

  @TearDown
  public void tearDown() {
    if (scheduler instanceof ScheduledThreadPoolExecutor shared) {
      shared.shutdownNow();
    }
  }

  @Benchmark
  public boolean scheduleThenCancel() {
    ScheduledFuture<?> deadline = scheduler.schedule(() -> {}, 30, TimeUnit.SECONDS);
    return deadline.cancel(false);
  }
}
