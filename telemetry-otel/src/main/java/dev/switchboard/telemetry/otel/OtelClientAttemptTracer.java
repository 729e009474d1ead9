package dev.switchboard.telemetry.otel;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

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
  private final MessageTally messages;

  OtelClientAttemptTracer(
      SwitchboardOpenTelemetry otel, String method, String target, Context callContext, Span span) {
    this.otel = otel;
    this.method = method;
    this.target = target;
    this.startNanos = otel.nanoTime();
    this.span = span;
    this.messages = new MessageTally(span);
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
    messages.outbound(seqNo, wireSize, uncompressedSize);
  }

  @Override
  public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
    messages.inbound(seqNo, wireSize, uncompressedSize);
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
        otel.instruments.clientAttemptSentBytes.record(messages.sentBytes(), a);
        otel.instruments.clientAttemptRcvdBytes.record(messages.receivedBytes(), a);
      }
      if (span != null) {
        Spans.end(span, status);
      }
    } catch (RuntimeException e) {
      Guard.failed("attemptEnded", e);
    }
  }
}
