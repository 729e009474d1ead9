package dev.switchboard.transport.netty;

import dev.switchboard.api.Metadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
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

/**
 * JMH: a unary request's headers, from {@link Metadata} to an HPACK block and back, with the
 * connection's dynamic table warm (as on a live connection after the first call). Run with {@code
 * benchmarks/bin/jmh.sh transport-netty Headers}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadersBenchmark {
  /** Application metadata entries besides the protocol's own headers. */
  @Param({"0", "4"})
  public int entries;

  private static final AsciiString PATH =
      AsciiString.of("/grpc.testing.BenchmarkService/UnaryCall");
  private static final AsciiString AUTHORITY = AsciiString.of("127.0.0.1:50051");
  private static final AsciiString USER_AGENT = AsciiString.of("switchboard-java/0.1");
  private static final AsciiString ACCEPT = AsciiString.of("gzip");

  private Metadata metadata;
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true);
  private ByteBuf block;

  @Setup(Level.Trial)
  public void setUp() throws Http2Exception {
    metadata = new Metadata();
    for (int i = 0; i < entries; i++) {
      metadata.put("x-benchmark-" + i, "value-" + i);
    }
    block = PooledByteBufAllocator.DEFAULT.directBuffer(512);
    encoder.encodeHeaders(1, requestHeaders(), block); // warms both dynamic tables
    decoder.decodeHeaders(1, block);
    block.clear();
    encoder.encodeHeaders(3, requestHeaders(), block);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    block.release();
  }

  private Http2Headers requestHeaders() {
    return GrpcHeaders.requestHeaders(
        PATH,
        AUTHORITY,
        GrpcHeaders.contentType("proto"),
        USER_AGENT,
        null,
        null,
        ACCEPT,
        0,
        metadata);
  }

  @Benchmark
  public int encode() throws Http2Exception {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(256);
    try {
      encoder.encodeHeaders(5, requestHeaders(), out);
      return out.readableBytes();
    } finally {
      out.release();
    }
  }

  @Benchmark
  public Metadata decode() throws Http2Exception {
    Http2Headers headers = decoder.decodeHeaders(5, block.duplicate());
    return GrpcHeaders.toMetadata(headers);
  }
}
