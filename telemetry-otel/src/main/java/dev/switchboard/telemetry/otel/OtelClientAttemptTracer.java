package dev.switchboard.telemetry.otel;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One attempt: its {@code grpc.client.attempt.*} metrics and its {@code Attempt.*} span, whose
 * context goes out in the request headers.
 */
final class OtelClientAttemptTracer implements ClientAttemptTracer {
  private final SwitchboardOpenTelemetry otel;
  private final String method;
  private final String target;
  private final long startNanos;

  /** Null when tracing is off. */
  private final Span span;

  private final Context propagated;
  // Outbound and inbound events may run at once (see ClientAttemptTracer).
  private final AtomicLong sentBytes = new AtomicLong();
  private final AtomicLong rcvdBytes = new AtomicLong();

  OtelClientAttemptTracer(
      SwitchboardOpenTelemetry otel, String method, String target, Context callContext, Span span) {
    this.otel = otel;
    this.method = method;
    this.target = target;
    this.startNanos = otel.nanoTime();
    this.span = span;
    this.propagated = span == null ? callContext : callContext.with(span);
  }

  @Override
  public void outboundHeaders(Metadata headers) {
    try {
      otel.propagators.getTextMapPropagator().inject(propagated, headers, MetadataCarrier.INSTANCE);
    } catch (RuntimeException e) {
      Guard.failed("outboundHeaders", e);
    }
  }

  @Override
  public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
    try {
      sentBytes.addAndGet(wireSize);
      if (span != null) {
        Spans.message(span, Spans.OUTBOUND_MESSAGE, seqNo, wireSize, uncompressedSize);
      }
    } catch (RuntimeException e) {
      Guard.failed("outboundMessage", e);
    }
  }

  @Override
  public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
    try {
      rcvdBytes.addAndGet(wireSize);
      if (span != null) {
        Spans.message(span, Spans.INBOUND_MESSAGE, seqNo, wireSize, uncompressedSize);
      }
    } catch (RuntimeException e) {
      Guard.failed("inboundMessage", e);
    }
  }

  @Override
  public void attemptEnded(Status status) {
    try {
      if (otel.instruments != null) {
        Attributes a =
            Attributes.of(
                Instruments.METHOD,
                method,
                Instruments.TARGET,
                target,
                Instruments.STATUS,
                status.getCode().name());
        otel.instruments.clientAttemptDuration.record((otel.nanoTime() - startNanos) / 1e9, a);
        otel.instruments.clientAttemptSentBytes.record(sentBytes.get(), a);
        otel.instruments.clientAttemptRcvdBytes.record(rcvdBytes.get(), a);
      }
      if (span != null) {
        Spans.end(span, status);
      }
    } catch (RuntimeException e) {
      Guard.failed("attemptEnded", e);
    }
  }
}
