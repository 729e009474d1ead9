package dev.switchboard.telemetry.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.telemetry.ClientCallInfo;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A real OpenTelemetry SDK with in-memory exporters, a fake clock and method descriptors. */
final class OtelFixture implements AutoCloseable {
  static final String TARGET = "dns:///greeter.example:443";

  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final OpenTelemetrySdk sdk;
  final SwitchboardOpenTelemetry provider;

  OtelFixture() {
    this(null, b -> b);
  }

  OtelFixture(
      SpanExporter extraExporter,
      java.util.function.UnaryOperator<SwitchboardOpenTelemetry.Builder> options) {
    var tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans));
    if (extraExporter != null) {
      tracing.addSpanProcessor(SimpleSpanProcessor.create(extraExporter));
    }
    sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(tracing.build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    provider =
        options
            .apply(SwitchboardOpenTelemetry.newBuilder().openTelemetry(sdk).ticker(nanos::get))
            .build();
  }

  void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  static MethodDescriptor<String, String> method(String name, MethodType type, boolean generated) {
    return MethodDescriptor.<String, String>newBuilder()
        .setFullMethodName(name)
        .setType(type)
        .setRequestMarshaller(STRINGS)
        .setResponseMarshaller(STRINGS)
        .setGenerated(generated)
        .build();
  }

  static ClientCallInfo call(MethodDescriptor<?, ?> method) {
    return new ClientCallInfo(method, TARGET, CallOptions.DEFAULT);
  }

  Collection<MetricData> collect() {
    return metrics.collectAllMetrics();
  }

  static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no metric " + name + " in " + all));
  }

  static HistogramPointData histogram(Collection<MetricData> all, String name, Attributes a) {
    return metric(all, name).getHistogramData().getPoints().stream()
        .filter(p -> p.getAttributes().equals(a))
        .findFirst()
        .orElseGet(() -> fail("no point " + a + " in " + metric(all, name)));
  }

  static long counter(Collection<MetricData> all, String name, Attributes a) {
    return metric(all, name).getLongSumData().getPoints().stream()
        .filter(p -> p.getAttributes().equals(a))
        .mapToLong(LongPointData::getValue)
        .findFirst()
        .orElseGet(() -> fail("no point " + a + " in " + metric(all, name)));
  }

  SpanData span(String name) {
    List<SpanData> all = spans.getFinishedSpanItems();
    return all.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no span " + name + " in " + all));
  }

  static void assertSeconds(double expected, double actual) {
    assertEquals(expected, actual, 1e-9);
  }

  @Override
  public void close() {
    sdk.close();
  }

  private static final Marshaller<String> STRINGS =
      new Marshaller<>() {
        @Override
        public int sizeOf(String message) {
          return message.length();
        }

        @Override
        public void encode(String message, OutputStream out) throws IOException {
          out.write(message.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String decode(InputStream in) throws IOException {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      };
}
