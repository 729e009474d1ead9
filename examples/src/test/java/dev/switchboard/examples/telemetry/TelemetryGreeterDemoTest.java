package dev.switchboard.examples.telemetry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo over loopback and checks what it recorded against what it printed: the attempt
 * duration of the three calls with A66's attributes, and the first call's three spans in one trace,
 * client call → attempt → server call.
 */
class TelemetryGreeterDemoTest {
  @Test
  void printsTheAttemptDurationAndOneTraceAcrossClientAndServer() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TelemetryGreeterDemo.Recorded recorded;
    try (PrintStream out = new PrintStream(bytes, true, UTF_8)) {
      recorded = TelemetryGreeterDemo.run(out);
    }
    List<String> printed = bytes.toString(UTF_8).lines().toList();

    assertTrue(printed.contains("SayHello(Ada) -> \"Hello, Ada!\""), "replies in " + printed);
    assertTrue(printed.contains("SayHello(Linus) -> \"Hello, Linus!\""), "replies in " + printed);

    // The metric: one histogram point for the three attempts, with A66's attributes.
    assertEquals("grpc.client.attempt.duration", recorded.metric().getName());
    assertEquals("s", recorded.metric().getUnit());
    assertEquals(MetricDataType.HISTOGRAM, recorded.metric().getType());
    assertEquals("dev.switchboard", recorded.metric().getInstrumentationScopeInfo().getName());
    String scheme =
        ResolverRegistry.getDefaultRegistry().lookup("dns") != null ? "dns" : "passthrough";
    String target = scheme + ":///127.0.0.1:" + recorded.port();
    assertEquals(
        Attributes.of(
            AttributeKey.stringKey("grpc.method"),
                "switchboard.examples.helloworld.Greeter/SayHello",
            AttributeKey.stringKey("grpc.status"), "OK",
            AttributeKey.stringKey("grpc.target"), target),
        recorded.point().getAttributes());
    assertEquals(3, recorded.point().getCount());
    assertTrue(recorded.point().getMin() > 0, "durations are positive");
    assertTrue(
        printed.contains("grpc.client.attempt.duration (HISTOGRAM, unit s, scope dev.switchboard)"),
        "metric header in " + printed);
    assertTrue(
        printed.contains(
            "  grpc.method=switchboard.examples.helloworld.Greeter/SayHello grpc.status=OK grpc.target="
                + target),
        "metric attributes in " + printed);
    assertTrue(
        printed.stream().anyMatch(l -> l.startsWith("  count=3 sum=")), "count in " + printed);

    // The trace: client call, its attempt (parent: the call), the server's call (parent: the
    // attempt, known from the traceparent header), one trace id.
    List<SpanData> trace = recorded.trace();
    assertEquals(
        List.of(
            "Sent.switchboard.examples.helloworld.Greeter.SayHello",
            "Attempt.switchboard.examples.helloworld.Greeter.SayHello",
            "Recv.switchboard.examples.helloworld.Greeter.SayHello"),
        trace.stream().map(SpanData::getName).toList());
    SpanData sent = trace.get(0);
    SpanData attempt = trace.get(1);
    SpanData recv = trace.get(2);
    String traceId = sent.getTraceId();
    assertEquals(
        List.of(traceId, traceId, traceId), trace.stream().map(SpanData::getTraceId).toList());
    assertFalse(sent.getParentSpanContext().isValid(), "the call's span is a root");
    assertEquals(sent.getSpanId(), attempt.getParentSpanId());
    assertEquals(attempt.getSpanId(), recv.getParentSpanId());
    assertTrue(recv.getParentSpanContext().isRemote(), "the server's parent came over the wire");
    assertEquals(
        List.of(SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.SERVER),
        trace.stream().map(SpanData::getKind).toList());
    for (SpanData s : trace) {
      assertEquals(StatusCode.OK, s.getStatus().getStatusCode(), s.getName());
    }

    int at = printed.indexOf("trace " + traceId);
    assertTrue(at >= 0, "trace id in " + printed);
    assertTrue(
        printed
            .get(at + 1)
            .startsWith(
                "  Sent.switchboard.examples.helloworld.Greeter.SayHello  INTERNAL span "
                    + sent.getSpanId()
                    + " (root), OK, "),
        printed.get(at + 1));
    assertTrue(
        printed.contains("      previous-rpc-attempts=0 transparent-retry=false"),
        "attempt attributes in " + printed);
    assertTrue(
        printed.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "    Attempt.switchboard.examples.helloworld.Greeter.SayHello  CLIENT span "
                            + attempt.getSpanId()
                            + " parent "
                            + sent.getSpanId()
                            + ", OK, ")),
        "attempt line in " + printed);
    assertTrue(
        printed.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "      Recv.switchboard.examples.helloworld.Greeter.SayHello  SERVER span "
                            + recv.getSpanId()
                            + " parent "
                            + attempt.getSpanId()
                            + ", OK, ")),
        "server line in " + printed);

    // The demo took its provider out again.
    assertTrue(TelemetryRegistry.getDefaultRegistry().clientCallTracerFactories().isEmpty());
    assertTrue(TelemetryRegistry.getDefaultRegistry().serverCallTracerFactories().isEmpty());
  }
}
