package dev.switchboard.telemetry.otel;

import dev.switchboard.api.Metadata;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Lets OpenTelemetry's text-map propagators (W3C {@code traceparent}, baggage, B3...) write into
 * and read from request headers. Binary ({@code -bin}) headers are not text and are skipped.
 */
enum MetadataCarrier implements TextMapGetter<Metadata>, TextMapSetter<Metadata> {
  INSTANCE;

  @Override
  public void set(Metadata carrier, String key, String value) {
    if (carrier == null || key == null || value == null) {
      return;
    }
    try {
      carrier.removeAll(key);
      carrier.put(key, value);
    } catch (IllegalArgumentException e) {
      // A propagator's key or value that HTTP/2 headers cannot carry: leave it out.
    }
  }

  @Override
  public String get(Metadata carrier, String key) {
    if (carrier == null || key == null || Metadata.isBinaryKey(key)) {
      return null;
    }
    return carrier.get(key);
  }
}
