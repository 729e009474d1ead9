package dev.switchboard.examples.telemetry;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.examples.GreeterServer;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.HelloReply;
import dev.switchboard.examples.helloworld.HelloRequest;
import dev.switchboard.telemetry.otel.SwitchboardOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Greeter with OpenTelemetry: builds an OpenTelemetry SDK whose exporters keep what they get in
 * memory, turns on {@code telemetry-otel} for every channel and server (the three lines of the
 * README), starts a Greeter server on 127.0.0.1, makes a few {@code SayHello} calls, then prints
 * one metric ({@value #METRIC}, its point for {@code SayHello}) and one trace (the first call's:
 * the client call's span, its attempt's and the server's, parent to child).
 *
 * <p>Exits 0 when all of that happened, 1 otherwise. From the repository root: {@code mvn -q -B
 * -DskipTests -Potel-demo -pl examples -am verify}. On the module path, {@code telemetry-otel} and
 * the SDK are optional modules of {@code dev.switchboard.examples}: add {@code --add-modules
 * dev.switchboard.telemetry.otel,io.opentelemetry.sdk}.
 *
 * @since 0.3
 */
public final class TelemetryGreeterDemo {
  static final String HOST = "127.0.0.1";
  static final String METHOD = GreeterSwitchboard.METHOD_SAY_HELLO.getFullMethodName();
  static final String METRIC = "grpc.client.attempt.duration";
  static final List<String> NAMES = List.of("Ada", "Grace", "Linus");
  static final AttributeKey<String> GRPC_METHOD = AttributeKey.stringKey("grpc.method");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * What the demo printed.
   *
   * @param port the server's port
   * @param metric the metric {@value #METRIC}
   * @param point its point for {@code SayHello}
   * @param trace the first call's spans, each after its parent
   */
  record Recorded(int port, MetricData metric, HistogramPointData point, List<SpanData> trace) {}

  private TelemetryGreeterDemo() {}

  /**
   * Runs the demo; exits 0 on success, 1 on any failure.
   *
   * @since 0.3
   */
  public static void main(String[] args) {
    int exitCode = 0;
    try {
      run(System.out);
    } catch (Throwable t) {
      exitCode = 1;
      System.out.println("FAILED: " + t);
      t.printStackTrace(System.out);
    }
    System.out.flush();
    System.exit(exitCode);
  }

  /** Runs the demo, printing to {@code out}; returns what it printed. */
  static Recorded run(PrintStream out) throws Exception {
    SpanRecorder spans = new SpanRecorder();
    MetricSnapshotReader metrics = new MetricSnapshotReader();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            // The attempt's span context goes to the server in a W3C traceparent header.
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build()) {
      // The README's three lines (the SDK above, then these two): all channels and servers.
      TelemetryProvider otel = SwitchboardOpenTelemetry.newBuilder().openTelemetry(sdk).build();
      TelemetryRegistry.getDefaultRegistry().register(otel);
      try {
        int port = greet(out);
        // Three spans per call; the server's may end just after the client has its reply.
        List<SpanData> ended = spans.awaitEnded(3 * NAMES.size(), TIMEOUT);
        SpanData firstCall =
            ended.stream()
                .filter(s -> s.getName().equals("Sent." + METHOD.replace('/', '.')))
                .min(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .orElseThrow(() -> new IllegalStateException("no client call span"));
        List<SpanData> trace = TelemetryReport.traceInOrder(ended, firstCall.getTraceId());
        MetricData metric =
            metrics.collect().stream()
                .filter(m -> m.getName().equals(METRIC))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no metric " + METRIC));
        HistogramPointData point =
            metric.getHistogramData().getPoints().stream()
                .filter(p -> METHOD.equals(p.getAttributes().get(GRPC_METHOD)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no point for " + METHOD));

        out.println();
        out.println("One metric (the " + NAMES.size() + " calls' attempts):");
        out.print(TelemetryReport.metric(metric, point));
        out.println();
        out.println("One trace (the first call: client call, its attempt, the server's call):");
        out.print(TelemetryReport.trace(trace));
        return new Recorded(port, metric, point, trace);
      } finally {
        TelemetryRegistry.getDefaultRegistry().deregister(otel);
      }
    }
  }

  /** Starts a Greeter server, calls it once per name, shuts it down; returns its port. */
  private static int greet(PrintStream out) throws Exception {
    Server server = GreeterServer.start(HOST, 0, "greeter");
    int port = server.port();
    try (ClientConn channel =
        ClientConns.newClient(HOST + ":" + port, DialOptions.newBuilder().insecure().build())) {
      out.println("Greeter server on " + HOST + ":" + port);
      for (String name : NAMES) {
        HelloReply reply =
            GreeterSwitchboard.newBlockingStub(channel)
                .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .sayHello(HelloRequest.newBuilder().setName(name).build());
        out.println("SayHello(" + name + ") -> \"" + reply.getMessage() + "\"");
      }
    } finally {
      server.shutdown();
      if (!server.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    }
    return port;
  }
}
