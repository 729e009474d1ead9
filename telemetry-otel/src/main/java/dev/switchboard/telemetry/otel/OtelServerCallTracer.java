package dev.switchboard.telemetry.otel;

import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ServerCallTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * One server call: its {@code grpc.server.call.*} metrics and its {@code Recv.*} span, a child of
 * the client's attempt span when the request headers carry its context.
 */
final class OtelServerCallTracer implements ServerCallTracer {
  private final SwitchboardOpenTelemetry otel;
  private final String method;
  private final long startNanos;

  /** Null when tracing is off. */
  private final Span span;

  /** What the handler's context carries: the extracted parent, with the server span if any. */
  private final Context handlerContext;

  private final MessageTally messages;

  OtelServerCallTracer(
      SwitchboardOpenTelemetry otel, String method, String spanMethod, Context parent) {
    this.otel = otel;
    this.method = method;
    this.startNanos = otel.nanoTime();
    if (otel.instruments != null) {
      otel.instruments.serverCallStarted.add(1, Attributes.of(Instruments.METHOD, method));
    }
    if (otel.tracer != null) {
      span =
          otel.tracer
              .spanBuilder(Spans.name("Recv", spanMethod))
              .setParent(parent)
              .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
              .startSpan();
      handlerContext = parent.with(span);
    } else {
      span = null;
      handlerContext = parent;
    }
    messages = new MessageTally(span);
  }

  @Override
  public dev.switchboard.api.Context filterContext(dev.switchboard.api.Context context) {
    try {
      return context.withValue(SwitchboardOpenTelemetry.OTEL_CONTEXT_KEY, handlerContext);
    } catch (RuntimeException e) {
      Guard.failed("filterContext", e);
      return context;
    }
  }

  @Override
  public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
    messages.inbound(seqNo, wireSize, uncompressedSize);
  }

  @Override
  public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
    messages.outbound(seqNo, wireSize, uncompressedSize);
  }

  @Override
  public void callEnded(Status status) {
    try {
      if (otel.instruments != null) {
        Attributes a =
            Attributes.of(Instruments.METHOD, method, Instruments.STATUS, status.getCode().name());
        otel.instruments.serverCallDuration.record((otel.nanoTime() - startNanos) / 1e9, a);
        otel.instruments.serverCallSentBytes.record(messages.sentBytes(), a);
        otel.instruments.serverCallRcvdBytes.record(messages.receivedBytes(), a);
      }
      if (span != null) {
        Spans.end(span, status);
      }
    } catch (RuntimeException e) {
      Guard.failed("callEnded", e);
    }
  }
}
