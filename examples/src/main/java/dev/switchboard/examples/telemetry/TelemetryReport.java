package dev.switchboard.examples.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Text for people: one histogram point of a metric, and one trace as a tree of spans (each child
 * under its parent, by start time) with their ids, kinds, statuses, durations, attributes and
 * events.
 */
final class TelemetryReport {
  private TelemetryReport() {}

  /** The metric's name, type, unit and scope, then the point's attributes and statistics. */
  static String metric(MetricData metric, HistogramPointData point) {
    return String.format(
        Locale.ROOT,
        "%s (%s, unit %s, scope %s)%n  %s%n  count=%d sum=%.6f min=%.6f max=%.6f%n",
        metric.getName(),
        metric.getType(),
        metric.getUnit(),
        metric.getInstrumentationScopeInfo().getName(),
        attributes(point.getAttributes()),
        point.getCount(),
        point.getSum(),
        point.getMin(),
        point.getMax());
  }

  /**
   * The spans of trace {@code traceId} among {@code spans}, each after its parent and before its
   * parent's later children: the order {@link #trace(List)} prints them in.
   */
  static List<SpanData> traceInOrder(List<SpanData> spans, String traceId) {
    List<SpanData> ofTrace =
        spans.stream()
            .filter(s -> s.getTraceId().equals(traceId))
            .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
            .toList();
    List<String> ids = ofTrace.stream().map(SpanData::getSpanId).toList();
    List<SpanData> ordered = new ArrayList<>();
    for (SpanData s : ofTrace) {
      if (!ids.contains(s.getParentSpanId())) {
        addWithChildren(s, ofTrace, ordered);
      }
    }
    return ordered;
  }

  private static void addWithChildren(SpanData span, List<SpanData> all, List<SpanData> out) {
    out.add(span);
    for (SpanData s : all) {
      if (s.getParentSpanId().equals(span.getSpanId())) {
        addWithChildren(s, all, out);
      }
    }
  }

  /** The trace id, then each span of {@code ordered} (from {@link #traceInOrder}) indented. */
  static String trace(List<SpanData> ordered) {
    StringBuilder out = new StringBuilder();
    out.append("trace ").append(ordered.get(0).getTraceId()).append(System.lineSeparator());
    Map<String, Integer> depths = new HashMap<>();
    for (SpanData s : ordered) {
      Integer parentDepth = depths.get(s.getParentSpanId());
      int depth = parentDepth == null ? 0 : parentDepth + 1;
      depths.put(s.getSpanId(), depth);
      String indent = "  ".repeat(depth + 1);
      out.append(
          String.format(
              Locale.ROOT,
              "%s%s  %s span %s %s, %s, %.3f ms%n",
              indent,
              s.getName(),
              s.getKind(),
              s.getSpanId(),
              parentDepth == null ? "(root)" : "parent " + s.getParentSpanId(),
              s.getStatus().getStatusCode(),
              (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6));
      if (!s.getAttributes().isEmpty()) {
        out.append(indent).append("  ").append(attributes(s.getAttributes()));
        out.append(System.lineSeparator());
      }
      for (EventData e : s.getEvents()) {
        out.append(indent).append("  event ").append(e.getName()).append(": ");
        out.append(attributes(e.getAttributes())).append(System.lineSeparator());
      }
    }
    return out.toString();
  }

  /** {@code key=value} pairs in key order, separated by spaces. */
  static String attributes(Attributes attributes) {
    return attributes.asMap().entrySet().stream()
        .sorted(Comparator.comparing(e -> e.getKey().getKey()))
        .map(e -> e.getKey().getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
