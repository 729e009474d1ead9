package dev.switchboard.benchmarks;

import com.google.protobuf.ByteString;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.benchmarks.proto.BenchmarkServiceSwitchboard;
import dev.switchboard.benchmarks.proto.BenchmarkServiceSwitchboard.BenchmarkServiceStub;
import dev.switchboard.benchmarks.proto.Messages.Payload;
import dev.switchboard.benchmarks.proto.Messages.SimpleRequest;
import dev.switchboard.benchmarks.proto.Messages.SimpleResponse;
import dev.switchboard.clientconn.ClientConns;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A closed-loop load generator for any {@code grpc.testing.BenchmarkService} server: {@code
 * channels} connections, each with {@code outstanding_rpcs} calls in flight, where every completed
 * call at once starts the next. Unary calls, or streaming ping-pong (one {@code StreamingCall} per
 * slot, one request then one response, repeated). A warm-up phase runs the same load and is
 * discarded; then the measured phase prints QPS and latency percentiles in exactly the lines
 * grpc-java's {@code io.grpc.benchmarks.qps.AsyncClient} prints, whose flags it also takes, so it
 * can stand in for AsyncClient in scripts that parse its output.
 *
 * <p>Latency is measured per call from start to completion (per message from send to response, for
 * ping-pong) in nanoseconds, into one HdrHistogram per slot (no sharing on the hot path), merged at
 * the end.
 *
 * <p>With {@code --tls} (and {@code --testca}: trust the gRPC test CA and send {@code :authority
 * foo.test.google.fr}, as AsyncClient does) the connections use TLS. {@code --handshakes=N}
 * measures connection set-up instead of load: N times in a row, a new channel and its first unary
 * call, timed from creating the channel to that call's completion (see {@link #runHandshakes}). Run
 * {@code BenchmarkClient --help} for the flags.
 */
public final class BenchmarkClient {
  /** Longest wait for one new channel's first call in handshake mode. */
  private static final long HANDSHAKE_TIMEOUT_SECONDS = 20;

  /** Grace after the measured phase for the calls still in flight to end. */
  private static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

  /**
   * The measured phase: merged latencies in nanoseconds, wall time from its start until its last
   * call ended, and the number of slots that stopped on a failure.
   */
  record Result(
      Histogram latencyNanos, long elapsedNanos, int failedSlots, Throwable firstFailure) {
    long completed() {
      return latencyNanos.getTotalCount();
    }

    long qps() {
      return elapsedNanos <= 0 ? 0 : completed() * 1_000_000_000L / elapsedNanos;
    }
  }

  private BenchmarkClient() {}

  /** Parses the flags, runs warm-up and measurement, prints the stats; exit 1 on failed calls. */
  public static void main(String[] args) throws Exception {
    ClientConfig config;
    String histogramFile;
    try {
      Flags flags = Flags.parse(args, ClientConfig.FLAGS);
      if (flags.helpRequested()) {
        System.out.print(
            flags.usage(
                "benchmark-client --address=HOST:PORT [--channels=N] "
                    + "[--outstanding_rpcs=M] [--streaming_rpcs] [--tls [--testca]] "
                    + "[--handshakes=N] ..."));
        return;
      }
      config = ClientConfig.from(flags);
      TransportFlag.apply(flags);
      histogramFile = flags.string("save_histogram");
    } catch (Flags.UsageException e) {
      System.err.println("benchmark-client: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }

    Result result = run(config);
    printStats(config, result, System.out);
    if (!histogramFile.isEmpty()) {
      saveHistogram(result, histogramFile);
    }
    if (result.failedSlots() > 0 || result.completed() == 0) {
      if (result.firstFailure() != null) {
        System.err.println("benchmark-client: first failure:");
        result.firstFailure().printStackTrace();
      }
      System.exit(1);
    }
  }

  /** {@return the options every channel dials with; {@code block}: wait until connected} */
  private static DialOptions dialOptions(ClientConfig config, boolean block) throws IOException {
    DialOptions.Builder dial =
        DialOptions.newBuilder()
            .credentials(
                config.tls() ? TestCerts.client(config.testCa()) : TransportCredentials.insecure())
            .maxReceiveMessageSize(
                Math.max(
                    DialOptions.DEFAULT_MAX_RECEIVE_MESSAGE_SIZE, config.serverPayload() + 1024))
            .flowControl(config.flowControl());
    if (block) {
      dial.block(Duration.ofSeconds(20));
    }
    if (!config.effectiveAuthority().isEmpty()) {
      dial.authority(config.effectiveAuthority());
    }
    if (config.directExecutor()) {
      dial.executor(Runnable::run);
    }
    if (!config.serviceConfigJson().isEmpty()) {
      dial.defaultServiceConfig(config.serviceConfigJson());
    }
    if (config.noopTelemetry()) {
      dial.addTelemetry(new NoopTelemetry());
    }
    return dial.build();
  }

  private static SimpleRequest request(ClientConfig config) {
    return SimpleRequest.newBuilder()
        .setResponseSize(config.serverPayload())
        .setPayload(
            Payload.newBuilder().setBody(ByteString.copyFrom(new byte[config.clientPayload()])))
        .build();
  }

  /**
   * Connects, warms up (discarded), measures and disconnects; in handshake mode, {@link
   * #runHandshakes} instead.
   *
   * @throws IOException when the TLS certificates cannot be read
   */
  static Result run(ClientConfig config) throws InterruptedException, IOException {
    if (config.handshakes() > 0) {
      return runHandshakes(config);
    }
    SimpleRequest request = request(config);
    DialOptions options = dialOptions(config, true); // connect before the clock starts
    List<ClientConn> conns = new ArrayList<>(config.channels());
    try {
      for (int i = 0; i < config.channels(); i++) {
        conns.add(ClientConns.newClient(config.address(), options));
      }
      if (config.warmupSeconds() > 0) {
        runPhase(conns, request, config, TimeUnit.SECONDS.toNanos(config.warmupSeconds()));
        // Start the measurement with a clean heap, as AsyncClient does.
        System.gc();
      }
      return runPhase(conns, request, config, TimeUnit.SECONDS.toNanos(config.durationSeconds()));
    } finally {
      for (ClientConn conn : conns) {
        conn.close();
      }
      for (ClientConn conn : conns) {
        conn.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Handshake mode: {@code warmupSeconds} of fresh channels (discarded), then {@code handshakes} of
   * them, strictly one after the other. Each is timed from {@link ClientConns#newClient} (which
   * builds the channel's TLS context: no session is resumed from an earlier channel) until its
   * first unary call completes: name resolution, TCP connect, the TLS handshake with ALPN, the
   * HTTP/2 prefaces and SETTINGS, and one call. Closing the channel is not timed. Stops at the
   * first failed call.
   *
   * @throws IOException when the TLS certificates cannot be read
   */
  static Result runHandshakes(ClientConfig config) throws InterruptedException, IOException {
    SimpleRequest request = request(config);
    DialOptions options = dialOptions(config, false);
    Histogram histogram = new Histogram(ClosedLoopSlots.HISTOGRAM_RANGE_NANOS, 3);
    histogram.setAutoResize(true);
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.warmupSeconds());
    try {
      while (System.nanoTime() - warmupEnd < 0) {
        oneHandshake(config.address(), options, request);
      }
      if (config.warmupSeconds() > 0) {
        System.gc();
      }
      long start = System.nanoTime();
      for (int i = 0; i < config.handshakes(); i++) {
        histogram.recordValue(oneHandshake(config.address(), options, request));
      }
      return new Result(histogram, System.nanoTime() - start, 0, null);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      return new Result(histogram, 0, 1, cause);
    }
  }

  /** {@return nanoseconds from creating a channel to the end of its first unary call} */
  private static long oneHandshake(String address, DialOptions options, SimpleRequest request)
      throws InterruptedException, ExecutionException, TimeoutException {
    long start = System.nanoTime();
    ClientConn conn = ClientConns.newClient(address, options);
    try {
      CompletableFuture<SimpleResponse> response = new CompletableFuture<>();
      BenchmarkServiceSwitchboard.newStub(conn)
          .unaryCall(
              request,
              new StreamObserver<>() {
                private SimpleResponse value;

                @Override
                public void onNext(SimpleResponse v) {
                  value = v;
                }

                @Override
                public void onError(Throwable t) {
                  response.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                  response.complete(value);
                }
              });
      response.get(HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return System.nanoTime() - start;
    } finally {
      conn.close();
      conn.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Result runPhase(
      List<ClientConn> conns, SimpleRequest request, ClientConfig config, long durationNanos)
      throws InterruptedException {
    int slots = conns.size() * config.outstandingPerChannel();
    // 3 significant digits costs ~200 KB per slot; beyond 512 slots settle for 2 (~25 KB).
    int digits = slots <= 512 ? 3 : 2;
    CountDownLatch done = new CountDownLatch(slots);
    List<ClosedLoopSlots.Slot> all = new ArrayList<>(slots);
    long start = System.nanoTime();
    long end = start + durationNanos;
    for (ClientConn conn : conns) {
      BenchmarkServiceStub stub = BenchmarkServiceSwitchboard.newStub(conn);
      for (int j = 0; j < config.outstandingPerChannel(); j++) {
        ClosedLoopSlots.Slot slot =
            config.streaming()
                ? new ClosedLoopSlots.PingPongSlot(stub, request, end, done, digits)
                : new ClosedLoopSlots.UnarySlot(stub, request, end, done, digits);
        all.add(slot);
        slot.start();
      }
    }
    boolean drained = done.await(durationNanos + DRAIN_GRACE_NANOS, TimeUnit.NANOSECONDS);
    long elapsed = System.nanoTime() - start;
    Histogram merged = new Histogram(ClosedLoopSlots.HISTOGRAM_RANGE_NANOS, 3);
    merged.setAutoResize(true);
    int failed = 0;
    Throwable first = null;
    for (ClosedLoopSlots.Slot slot : all) {
      if (!slot.isFinished()) {
        failed++;
        if (first == null) {
          first =
              new IllegalStateException(
                  "a call was still running "
                      + TimeUnit.NANOSECONDS.toSeconds(DRAIN_GRACE_NANOS)
                      + " s after the phase ended");
        }
        continue;
      }
      merged.add(slot.histogram);
      if (slot.failure != null) {
        failed++;
        if (first == null) {
          first = slot.failure;
        }
      }
    }
    if (!drained && first == null) {
      first = new IllegalStateException("phase did not drain");
    }
    return new Result(merged, elapsed, failed, first);
  }

  /** Prints AsyncClient's lines (scripts parse them), then ours. */
  static void printStats(ClientConfig config, Result result, PrintStream out) {
    Histogram h = result.latencyNanos();
    StringBuilder sb = new StringBuilder();
    boolean handshakes = config.handshakes() > 0;
    sb.append("Channels:                       ")
        .append(handshakes ? config.handshakes() : config.channels())
        .append('\n')
        .append("Outstanding RPCs per Channel:   ")
        .append(handshakes ? 1 : config.outstandingPerChannel())
        .append('\n')
        .append("Server Payload Size:            ")
        .append(config.serverPayload())
        .append('\n')
        .append("Client Payload Size:            ")
        .append(config.clientPayload())
        .append('\n')
        .append("50%ile Latency (in micros):     ")
        .append(micros(h, 50))
        .append('\n')
        .append("90%ile Latency (in micros):     ")
        .append(micros(h, 90))
        .append('\n')
        .append("95%ile Latency (in micros):     ")
        .append(micros(h, 95))
        .append('\n')
        .append("99%ile Latency (in micros):     ")
        .append(micros(h, 99))
        .append('\n')
        .append("99.9%ile Latency (in micros):   ")
        .append(micros(h, 99.9))
        .append('\n')
        .append("Maximum Latency (in micros):    ")
        .append(h.getMaxValue() / 1000)
        .append('\n')
        .append("QPS:                            ")
        .append(result.qps())
        .append('\n')
        .append("RPC type:                       ")
        .append(
            handshakes
                ? "handshake (new channel + first unary call, one at a time)"
                : config.streaming() ? "streaming ping-pong" : "unary")
        .append('\n')
        .append("Security:                       ")
        .append(config.tls() ? "tls" : "plaintext")
        .append('\n')
        .append("Completed RPCs:                 ")
        .append(result.completed())
        .append('\n')
        .append("Failed slots:                   ")
        .append(result.failedSlots())
        .append('\n')
        .append("Elapsed (in millis):            ")
        .append(TimeUnit.NANOSECONDS.toMillis(result.elapsedNanos()))
        .append('\n');
    out.println(sb);
    out.flush();
  }

  private static long micros(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000;
  }

  private static void saveHistogram(Result result, String file) throws IOException {
    try (PrintStream out = new PrintStream(file, java.nio.charset.StandardCharsets.UTF_8)) {
      HistogramLogWriter writer = new HistogramLogWriter(out);
      writer.outputComment("latency in nanoseconds; the Max column in microseconds");
      writer.outputLogFormatVersion();
      writer.outputLegend();
      writer.outputIntervalHistogram(0, result.elapsedNanos() / 1e9, result.latencyNanos(), 1000.0);
    }
  }
}
