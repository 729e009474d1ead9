package dev.switchboard.telemetry.otel;

import static dev.switchboard.telemetry.otel.OtelFixture.call;
import static dev.switchboard.telemetry.otel.OtelFixture.histogram;
import static dev.switchboard.telemetry.otel.OtelFixture.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Context;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tracers never throw, whatever OpenTelemetry's plug-ins do. */
class FailureTest {
  private static final String SAY_HELLO = "helloworld.Greeter/SayHello";

  /** An exporter that fails every export by throwing. */
  static final class ThrowingExporter implements SpanExporter {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      calls.incrementAndGet();
      throw new IllegalStateException("exporter down");
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void aThrowingExporterBreaksNeitherTheCallNorTheOtherExporterNorMetrics() {
    ThrowingExporter bad = new ThrowingExporter();
    try (OtelFixture f = new OtelFixture(bad, b -> b)) {
      ClientCallTracer call =
          f.provider
              .clientCallTracers()
              .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
      ClientAttemptTracer attempt = call.newAttempt(0, false);
      attempt.outboundMessage(0, 1, 1);
      attempt.attemptEnded(Status.OK);
      call.callEnded(Status.OK);
      ServerCallTracer server =
          f.provider
              .serverCallTracers()
              .newCallTracer(new ServerCallInfo(SAY_HELLO, true, new Metadata(), null));
      server.filterContext(Context.ROOT);
      server.callEnded(Status.OK);

      assertTrue(bad.calls.get() >= 3, "the exporter was called");
      assertEquals(3, f.spans.getFinishedSpanItems().size());
      assertEquals(
          1,
          histogram(
                  f.collect(),
                  "grpc.client.call.duration",
                  Attributes.of(
                      Instruments.METHOD,
                      SAY_HELLO,
                      Instruments.TARGET,
                      OtelFixture.TARGET,
                      Instruments.STATUS,
                      "OK"))
              .getCount());
    }
  }

  @Test
  void throwingFiltersAndPropagatorsAreContained() {
    TextMapPropagator throwing =
        new TextMapPropagator() {
          @Override
          public List<String> fields() {
            return List.of("x");
          }

          @Override
          public <C> void inject(
              io.opentelemetry.context.Context context, C carrier, TextMapSetter<C> setter) {
            throw new IllegalStateException("inject");
          }

          @Override
          public <C> io.opentelemetry.context.Context extract(
              io.opentelemetry.context.Context context,
              C carrier,
              io.opentelemetry.context.propagation.TextMapGetter<C> getter) {
            throw new IllegalStateException("extract");
          }
        };
    try (OtelFixture f =
        new OtelFixture(
            null,
            b ->
                b.methodAttributeFilter(
                        m -> {
                          throw new IllegalStateException("filter");
                        })
                    .targetAttributeFilter(
                        t -> {
                          throw new IllegalStateException("filter");
                        }))) {
      ClientCallTracer call =
          f.provider
              .clientCallTracers()
              .newCallTracer(call(method("any.Proxy/Call", MethodType.UNARY, false)));
      assertNotNull(call);
      call.newAttempt(0, false).attemptEnded(Status.OK);
      call.callEnded(Status.OK);
      assertEquals(
          1,
          histogram(
                  f.collect(),
                  "grpc.client.call.duration",
                  Attributes.of(
                      Instruments.METHOD, "other",
                      Instruments.TARGET, "other",
                      Instruments.STATUS, "OK"))
              .getCount());
    }
    SwitchboardOpenTelemetry p =
        SwitchboardOpenTelemetry.newBuilder()
            .openTelemetry(
                io.opentelemetry.sdk.OpenTelemetrySdk.builder()
                    .setPropagators(ContextPropagators.create(throwing))
                    .build())
            .build();
    ClientCallTracer call =
        p.clientCallTracers().newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    ClientAttemptTracer attempt = call.newAttempt(0, false);
    Metadata headers = new Metadata();
    attempt.outboundHeaders(headers); // contained
    attempt.attemptEnded(Status.OK);
    call.callEnded(Status.OK);
    // A failing extract leaves the server call untraced rather than failing it.
    assertEquals(
        null,
        p.serverCallTracers().newCallTracer(new ServerCallInfo(SAY_HELLO, true, headers, null)));
  }
}
