package dev.switchboard.itests;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An OpenTelemetry SDK that keeps what it records in memory: every ended span, and the metrics
 * collected on demand; W3C trace context in headers. Used in a framework (TelemetryArrivingIT) and
 * in a child JVM on the module path and the class path ({@link TracedCallMain}), so it needs only
 * the SDK.
 */
final class OtelRecorder {
  private final List<SpanData> spans = new ArrayList<>();
  private volatile CollectionRegistration metrics = CollectionRegistration.noop();
  final OpenTelemetrySdk sdk;

  OtelRecorder() {
    SpanExporter exporter =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> ended) {
            synchronized (spans) {
              spans.addAll(ended);
              spans.notifyAll();
            }
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    MetricReader reader =
        new MetricReader() {
          @Override
          public void register(CollectionRegistration registration) {
            metrics = registration;
          }

          @Override
          public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
          }

          @Override
          public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
  }

  /** Waits (at most 10 s) until at least {@code count} spans ended; returns all of them. */
  List<SpanData> awaitSpans(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (spans) {
      while (spans.size() < count) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError(count + " spans expected within 10 s, ended: " + names(spans));
        }
        spans.wait(left);
      }
      return List.copyOf(spans);
    }
  }

  /** The spans ended so far. */
  List<SpanData> spans() {
    synchronized (spans) {
      return List.copyOf(spans);
    }
  }

  /**
   * The total of metric {@code name} now, over all its points: the sum of a counter, the number of
   * values a histogram recorded; 0 when nothing was recorded.
   */
  long total(String name) {
    long total = 0;
    for (MetricData m : metrics.collectAllMetrics()) {
      if (!m.getName().equals(name)) {
        continue;
      }
      switch (m.getType()) {
        case LONG_SUM -> {
          for (LongPointData p : m.getLongSumData().getPoints()) {
            total += p.getValue();
          }
        }
        case HISTOGRAM -> {
          for (HistogramPointData p : m.getHistogramData().getPoints()) {
            total += p.getCount();
          }
        }
        default -> throw new AssertionError(name + " is a " + m.getType());
      }
    }
    return total;
  }

  static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).toList();
  }
}
