package dev.switchboard.telemetry.otel;

import static dev.switchboard.telemetry.otel.OtelFixture.TARGET;
import static dev.switchboard.telemetry.otel.OtelFixture.assertSeconds;
import static dev.switchboard.telemetry.otel.OtelFixture.call;
import static dev.switchboard.telemetry.otel.OtelFixture.counter;
import static dev.switchboard.telemetry.otel.OtelFixture.histogram;
import static dev.switchboard.telemetry.otel.OtelFixture.method;
import static dev.switchboard.telemetry.otel.OtelFixture.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallInfo;
import dev.switchboard.api.telemetry.ClientCallTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientMetricsTest {
  private static final String SAY_HELLO = "helloworld.Greeter/SayHello";
  private static final Attributes STARTED =
      Attributes.of(Instruments.METHOD, SAY_HELLO, Instruments.TARGET, TARGET);

  private final OtelFixture f = new OtelFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private static Attributes ended(String method, String status) {
    return Attributes.of(
        Instruments.METHOD, method, Instruments.TARGET, TARGET, Instruments.STATUS, status);
  }

  @Test
  void unaryCallRecordsEveryClientInstrumentWithA66NamesUnitsAndBuckets() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    f.advanceMillis(2);
    ClientAttemptTracer attempt = call.newAttempt(0, false);
    attempt.outboundHeaders(new Metadata());
    attempt.outboundMessage(0, 10, 10);
    f.advanceMillis(5);
    attempt.inboundHeaders(new Metadata());
    attempt.inboundMessage(0, 2000, 2000);
    attempt.inboundTrailers(new Metadata());
    attempt.attemptEnded(Status.OK);
    f.advanceMillis(1);
    call.callEnded(Status.OK);

    Collection<MetricData> all = f.collect();
    assertEquals(
        Set.of(
            "grpc.client.attempt.started",
            "grpc.client.attempt.duration",
            "grpc.client.attempt.sent_total_compressed_message_size",
            "grpc.client.attempt.rcvd_total_compressed_message_size",
            "grpc.client.call.duration"),
        all.stream().map(MetricData::getName).collect(Collectors.toSet()));

    MetricData started = metric(all, "grpc.client.attempt.started");
    assertEquals(MetricDataType.LONG_SUM, started.getType());
    assertEquals("{attempt}", started.getUnit());
    assertEquals(
        "The total number of RPC attempts started, including those that have not completed.",
        started.getDescription());
    assertEquals(1, counter(all, "grpc.client.attempt.started", STARTED));
    assertEquals("dev.switchboard", started.getInstrumentationScopeInfo().getName());

    for (String latency : List.of("grpc.client.attempt.duration", "grpc.client.call.duration")) {
      MetricData m = metric(all, latency);
      assertEquals("s", m.getUnit(), latency);
      assertEquals(MetricDataType.HISTOGRAM, m.getType());
      assertEquals(
          Instruments.LATENCY_BUCKETS,
          histogram(all, latency, ended(SAY_HELLO, "OK")).getBoundaries(),
          latency);
    }
    for (String size :
        List.of(
            "grpc.client.attempt.sent_total_compressed_message_size",
            "grpc.client.attempt.rcvd_total_compressed_message_size")) {
      MetricData m = metric(all, size);
      assertEquals("By", m.getUnit(), size);
      assertEquals(
          Instruments.SIZE_BUCKETS.stream().map(Long::doubleValue).toList(),
          histogram(all, size, ended(SAY_HELLO, "OK")).getBoundaries(),
          size);
    }
    assertEquals(
        "End-to-end time taken to complete an RPC attempt including the time it takes to pick a"
            + " subchannel.",
        metric(all, "grpc.client.attempt.duration").getDescription());

    HistogramPointData attemptDuration =
        histogram(all, "grpc.client.attempt.duration", ended(SAY_HELLO, "OK"));
    assertEquals(1, attemptDuration.getCount());
    assertSeconds(0.005, attemptDuration.getSum());
    HistogramPointData callDuration =
        histogram(all, "grpc.client.call.duration", ended(SAY_HELLO, "OK"));
    assertSeconds(0.008, callDuration.getSum());
    assertEquals(
        10,
        histogram(
                all,
                "grpc.client.attempt.sent_total_compressed_message_size",
                ended(SAY_HELLO, "OK"))
            .getSum());
    HistogramPointData rcvd =
        histogram(
            all, "grpc.client.attempt.rcvd_total_compressed_message_size", ended(SAY_HELLO, "OK"));
    assertEquals(2000, rcvd.getSum());
    // 2000 bytes fall in the (1024, 2048] bucket: index 2.
    assertEquals(1, rcvd.getCounts().get(2));
  }

  @Test
  void streamingCallSumsCompressedWireSizesPerAttempt() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method("chat.Chat/Talk", MethodType.BIDI_STREAMING, true)));
    ClientAttemptTracer attempt = call.newAttempt(0, false);
    for (int i = 0; i < 3; i++) {
      attempt.outboundMessage(i, 100, 400); // compressed: the wire size counts
      attempt.inboundMessage(i, 7, -1);
    }
    attempt.attemptEnded(Status.OK);
    call.callEnded(Status.OK);

    Collection<MetricData> all = f.collect();
    Attributes ok = ended("chat.Chat/Talk", "OK");
    assertEquals(
        300, histogram(all, "grpc.client.attempt.sent_total_compressed_message_size", ok).getSum());
    assertEquals(
        21, histogram(all, "grpc.client.attempt.rcvd_total_compressed_message_size", ok).getSum());
  }

  @Test
  void failedCallRecordsItsStatusCodeName() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    ClientAttemptTracer attempt = call.newAttempt(0, false);
    attempt.outboundMessage(0, 10, 10);
    attempt.attemptEnded(Status.UNAVAILABLE.withDescription("connection refused"));
    call.callEnded(Status.UNAVAILABLE.withDescription("connection refused"));

    Collection<MetricData> all = f.collect();
    Attributes unavailable = ended(SAY_HELLO, "UNAVAILABLE");
    assertEquals(1, histogram(all, "grpc.client.attempt.duration", unavailable).getCount());
    assertEquals(1, histogram(all, "grpc.client.call.duration", unavailable).getCount());
    assertEquals(
        0,
        histogram(all, "grpc.client.attempt.rcvd_total_compressed_message_size", unavailable)
            .getSum());
  }

  @Test
  void retriesAreSeveralAttemptsOfOneCall() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    ClientAttemptTracer first = call.newAttempt(0, false);
    first.outboundMessage(0, 10, 10);
    first.attemptEnded(Status.UNAVAILABLE);
    ClientAttemptTracer second = call.newAttempt(1, false);
    second.outboundMessage(0, 10, 10);
    second.attemptEnded(Status.UNAVAILABLE);
    ClientAttemptTracer third = call.newAttempt(2, true);
    third.outboundMessage(0, 10, 10);
    third.inboundMessage(0, 5, 5);
    third.attemptEnded(Status.OK);
    call.callEnded(Status.OK);

    Collection<MetricData> all = f.collect();
    assertEquals(3, counter(all, "grpc.client.attempt.started", STARTED));
    assertEquals(
        2,
        histogram(all, "grpc.client.attempt.duration", ended(SAY_HELLO, "UNAVAILABLE")).getCount());
    assertEquals(
        1, histogram(all, "grpc.client.attempt.duration", ended(SAY_HELLO, "OK")).getCount());
    assertEquals(
        20,
        histogram(
                all,
                "grpc.client.attempt.sent_total_compressed_message_size",
                ended(SAY_HELLO, "UNAVAILABLE"))
            .getSum());
    assertEquals(1, histogram(all, "grpc.client.call.duration", ended(SAY_HELLO, "OK")).getCount());
  }

  @Test
  void callEndedBeforeAnyAttemptRecordsOnlyTheCallDuration() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    f.advanceMillis(3);
    call.callEnded(Status.DEADLINE_EXCEEDED);

    Collection<MetricData> all = f.collect();
    assertSeconds(
        0.003,
        histogram(all, "grpc.client.call.duration", ended(SAY_HELLO, "DEADLINE_EXCEEDED"))
            .getSum());
    assertEquals(
        Set.of("grpc.client.call.duration"),
        all.stream().map(MetricData::getName).collect(Collectors.toSet()));
  }

  @Test
  void handBuiltMethodsAreOtherUnlessTheFilterAcceptsThem() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method("any.Proxy/Forwarded", MethodType.UNARY, false)));
    call.newAttempt(0, false).attemptEnded(Status.OK);
    call.callEnded(Status.OK);
    Collection<MetricData> all = f.collect();
    assertEquals(
        1,
        counter(
            all,
            "grpc.client.attempt.started",
            Attributes.of(Instruments.METHOD, "other", Instruments.TARGET, TARGET)));

    try (OtelFixture filtered =
        new OtelFixture(null, b -> b.methodAttributeFilter(m -> m.startsWith("any.")))) {
      ClientCallTracer c =
          filtered
              .provider
              .clientCallTracers()
              .newCallTracer(call(method("any.Proxy/Forwarded", MethodType.UNARY, false)));
      c.callEnded(Status.OK);
      assertNotNull(
          histogram(
              filtered.collect(), "grpc.client.call.duration", ended("any.Proxy/Forwarded", "OK")));
    }
  }

  @Test
  void targetGetsItsSchemeAndTheTargetFilterBoundsIt() {
    try (OtelFixture filtered =
        new OtelFixture(null, b -> b.targetAttributeFilter(t -> !t.contains("10.0.0.1")))) {
      for (String target : List.of("greeter.example:443", "unix:///tmp/sock", "10.0.0.1:80")) {
        filtered
            .provider
            .clientCallTracers()
            .newCallTracer(
                new ClientCallInfo(
                    method(SAY_HELLO, MethodType.UNARY, true), target, CallOptions.DEFAULT))
            .callEnded(Status.OK);
      }
      Collection<MetricData> all = filtered.collect();
      Set<String> targets =
          metric(all, "grpc.client.call.duration").getHistogramData().getPoints().stream()
              .map(p -> p.getAttributes().get(Instruments.TARGET))
              .collect(Collectors.toSet());
      // No dns resolver on this class path: the core's default scheme is then passthrough.
      String scheme = SwitchboardOpenTelemetry.defaultScheme();
      assertEquals(scheme, "passthrough");
      assertEquals(
          Set.of("passthrough:///greeter.example:443", "unix:///tmp/sock", "other"), targets);
    }
  }
}
