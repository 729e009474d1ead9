package dev.switchboard.balancer.roundrobin;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.PickInfo;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.SubConn;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: round_robin's pick, alone and from 4 threads sharing one picker (its cursor is the only
 * shared write). Run with {@code benchmarks/bin/jmh.sh balancer-roundrobin Picker}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PickerBenchmark {
  @Param({"3", "100"})
  public int backends;

  private ReadyPicker picker;
  private final PickInfo info = new PickInfo(null, new Metadata(), CallOptions.DEFAULT);

  @Setup
  public void setUp() {
    List<SubConn> ready = new ArrayList<>();
    for (int i = 0; i < backends; i++) {
      ready.add(new NoopSubConn());
    }
    picker = new ReadyPicker(ready, 0);
  }

  @Benchmark
  public PickResult pick() {
    return picker.pick(info);
  }

  @Benchmark
  @Threads(4)
  public PickResult pickContended() {
    return picker.pick(info);
  }

  private static final class NoopSubConn implements SubConn {
    @Override
    public void connect() {}

    @Override
    public void shutdown() {}

    @Override
    public void updateAddresses(List<Address> addresses) {}

    @Override
    public List<Address> addresses() {
      return List.of();
    }
  }
}
