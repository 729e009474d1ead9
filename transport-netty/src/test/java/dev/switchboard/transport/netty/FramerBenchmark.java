package dev.switchboard.transport.netty;

import dev.switchboard.api.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: framing one outbound message (length prefix + marshalled bytes into a pooled buffer), with
 * the size known up front (the in-place path) and unknown (the stream path). Run with {@code
 * benchmarks/bin/jmh.sh transport-netty Framer}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FramerBenchmark {
  @Param({"0", "1024", "1048576"})
  public int size;

  private byte[] message;
  private final MessageFramer framer = new MessageFramer(PooledByteBufAllocator.DEFAULT, -1);

  @Setup
  public void setUp() {
    message = new byte[size];
  }

  @Benchmark
  public int knownSize() throws StatusException {
    ByteBuf framed = framer.frame(message, ByteArrayMarshaller.INSTANCE, null);
    int n = framed.readableBytes();
    framed.release();
    return n;
  }

  @Benchmark
  public int unknownSize() throws StatusException {
    ByteBuf framed = framer.frame(message, ByteArrayMarshaller.UNSIZED, null);
    int n = framed.readableBytes();
    framed.release();
    return n;
  }
}
