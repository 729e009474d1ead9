package dev.switchboard.telemetry.otel;

import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client call: its {@code grpc.client.call.duration} and its {@code Sent.*} span, parent of the
 * attempts' spans.
 */
final class OtelClientCallTracer implements ClientCallTracer {
  private final SwitchboardOpenTelemetry otel;
  private final String method;
  private final String target;
  private final String fullMethodName;
  private final long startNanos;
  private final Attributes startAttributes;

  /** The call's span, or null when tracing is off; its context is the attempts' parent. */
  private final Span span;

  private final Context callContext;
  private final AtomicInteger transparentRetries = new AtomicInteger();

  OtelClientCallTracer(
      SwitchboardOpenTelemetry otel,
      String method,
      String target,
      String fullMethodName,
      Context parent) {
    this.otel = otel;
    this.method = method;
    this.target = target;
    this.fullMethodName = fullMethodName;
    this.startNanos = otel.nanoTime();
    this.startAttributes = Attributes.of(Instruments.METHOD, method, Instruments.TARGET, target);
    if (otel.tracer != null) {
      span =
          otel.tracer
              .spanBuilder(Spans.name("Sent", fullMethodName))
              .setParent(parent)
              .setSpanKind(SpanKind.INTERNAL)
              .startSpan();
      callContext = parent.with(span);
    } else {
      span = null;
      callContext = parent;
    }
  }

  @Override
  public ClientAttemptTracer newAttempt(int previousAttempts, boolean transparentRetry) {
    try {
      // A72: previous-rpc-attempts counts the earlier attempts, transparent retries not included.
      int earlierTransparent =
          transparentRetry ? transparentRetries.getAndIncrement() : transparentRetries.get();
      int previous = Math.max(0, previousAttempts - earlierTransparent);
      if (otel.instruments != null) {
        otel.instruments.clientAttemptStarted.add(1, startAttributes);
      }
      Span attemptSpan = null;
      if (otel.tracer != null) {
        attemptSpan =
            otel.tracer
                .spanBuilder(Spans.name("Attempt", fullMethodName))
                .setParent(callContext)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(Spans.PREVIOUS_RPC_ATTEMPTS, (long) previous)
                .setAttribute(Spans.TRANSPARENT_RETRY, transparentRetry)
                .startSpan();
      }
      return new OtelClientAttemptTracer(otel, method, target, callContext, attemptSpan);
    } catch (RuntimeException e) {
      Guard.failed("newAttempt", e);
      return NoopAttemptTracer.INSTANCE;
    }
  }

  @Override
  public void callEnded(Status status) {
    try {
      if (otel.instruments != null) {
        double seconds = (otel.nanoTime() - startNanos) / 1e9;
        otel.instruments.clientCallDuration.record(
            seconds,
            Attributes.of(
                Instruments.METHOD,
                method,
                Instruments.TARGET,
                target,
                Instruments.STATUS,
                status.getCode().name()));
      }
      if (span != null) {
        Spans.end(span, status);
      }
    } catch (RuntimeException e) {
      Guard.failed("callEnded", e);
    }
  }

  /** What a failed {@link #newAttempt} returns: the SPI wants a tracer, never null. */
  enum NoopAttemptTracer implements ClientAttemptTracer {
    INSTANCE
  }
}
