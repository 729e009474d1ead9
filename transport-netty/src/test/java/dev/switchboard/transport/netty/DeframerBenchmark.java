package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: deframing one inbound message that arrives in {@code chunks} DATA frames, and reading it out
 * of the stream handed to the codec. Run with {@code benchmarks/bin/jmh.sh transport-netty
 * Deframer}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeframerBenchmark {
  @Param({"0", "1024", "1048576"})
  public int size;

  @Param({"1", "64"})
  public int chunks;

  private ByteBuf framed;
  private final byte[] sink = new byte[8192];

  @Setup(Level.Trial)
  public void setUp() {
    framed = PooledByteBufAllocator.DEFAULT.directBuffer(size + MessageDeframer.HEADER_LENGTH);
    framed.writeByte(0).writeInt(size).writeZero(size);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    framed.release();
  }

  @Benchmark
  public void deframe(Blackhole bh) {
    CountingSink counting = new CountingSink(bh, sink);
    MessageDeframer deframer =
        new MessageDeframer(counting, PooledByteBufAllocator.DEFAULT, Integer.MAX_VALUE, null);
    deframer.request(1);
    int total = framed.readableBytes();
    int step = Math.max(1, (total + chunks - 1) / chunks);
    for (int at = 0; at < total; at += step) {
      int len = Math.min(step, total - at);
      deframer.deframe(framed.retainedSlice(at, len), at + len == total);
    }
    deframer.close();
    bh.consume(counting.bytes);
  }

  private static final class CountingSink implements MessageDeframer.Sink {
    private final Blackhole bh;
    private final byte[] scratch;
    long bytes;

    CountingSink(Blackhole bh, byte[] scratch) {
      this.bh = bh;
      this.scratch = scratch;
    }

    @Override
    public void messageRead(InputStream message, boolean compressed) {
      try (InputStream in = message) {
        int n;
        while ((n = in.read(scratch)) > 0) {
          bytes += n;
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void bytesConsumed(int numBytes) {
      bh.consume(numBytes);
    }

    @Override
    public void endOfStream() {
      bh.consume(true);
    }

    @Override
    public void deframeFailed(Status status) {
      throw new IllegalStateException(status.toString());
    }
  }
}
