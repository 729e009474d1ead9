package dev.switchboard.codec.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
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
 * JMH: the protobuf marshaller (the serializer on the call path): encoding into a stream, encoding
 * straight into a direct buffer (what the Netty framer asks first), and decoding from a stream. Run
 * with {@code benchmarks/bin/jmh.sh codec-proto Marshaller}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MarshallerBenchmark {
  @Param({"0", "1024", "1048576"})
  public int size;

  private final ProtoMarshaller<BytesValue> marshaller =
      new ProtoMarshaller<>(BytesValue.class, BytesValue.getDefaultInstance());
  private BytesValue message;
  private byte[] wire;
  private ByteBuffer direct;
  private final OutputStream discard = OutputStream.nullOutputStream();

  @Setup
  public void setUp() throws IOException {
    message = BytesValue.of(ByteString.copyFrom(new byte[size]));
    wire = message.toByteArray();
    direct = ByteBuffer.allocateDirect(wire.length);
  }

  @Benchmark
  public void encodeToStream() throws IOException {
    marshaller.encode(message, discard);
  }

  @Benchmark
  public boolean encodeToDirectBuffer() throws IOException {
    direct.clear();
    return marshaller.encodeTo(message, direct);
  }

  @Benchmark
  public BytesValue decode() throws IOException {
    return marshaller.decode(new ByteArrayInputStream(wire));
  }
}
