package dev.switchboard.telemetry.otel;

import static dev.switchboard.telemetry.otel.OtelFixture.assertSeconds;
import static dev.switchboard.telemetry.otel.OtelFixture.counter;
import static dev.switchboard.telemetry.otel.OtelFixture.histogram;
import static dev.switchboard.telemetry.otel.OtelFixture.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.Context;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {
  private static final String SAY_HELLO = "helloworld.Greeter/SayHello";

  private final OtelFixture f = new OtelFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private ServerCallTracer arrive(String method, boolean registered) {
    return f.provider
        .serverCallTracers()
        .newCallTracer(new ServerCallInfo(method, registered, new Metadata(), "localhost"));
  }

  private static Attributes ended(String method, String status) {
    return Attributes.of(Instruments.METHOD, method, Instruments.STATUS, status);
  }

  @Test
  void unaryCallRecordsEveryServerInstrument() {
    ServerCallTracer t = arrive(SAY_HELLO, true);
    t.filterContext(Context.ROOT);
    t.inboundMessage(0, 12, 12);
    f.advanceMillis(4);
    t.outboundHeaders(new Metadata());
    t.outboundMessage(0, 5000, 5000);
    t.callEnded(Status.OK);

    Collection<MetricData> all = f.collect();
    assertEquals(
        Set.of(
            "grpc.server.call.started",
            "grpc.server.call.duration",
            "grpc.server.call.sent_total_compressed_message_size",
            "grpc.server.call.rcvd_total_compressed_message_size"),
        all.stream().map(MetricData::getName).collect(Collectors.toSet()));
    MetricData started = metric(all, "grpc.server.call.started");
    assertEquals("{call}", started.getUnit());
    assertEquals(
        "The total number of RPCs started, including those that have not completed.",
        started.getDescription());
    assertEquals(
        1, counter(all, "grpc.server.call.started", Attributes.of(Instruments.METHOD, SAY_HELLO)));

    Attributes ok = ended(SAY_HELLO, "OK");
    MetricData duration = metric(all, "grpc.server.call.duration");
    assertEquals("s", duration.getUnit());
    HistogramPointData d = histogram(all, "grpc.server.call.duration", ok);
    assertEquals(Instruments.LATENCY_BUCKETS, d.getBoundaries());
    assertSeconds(0.004, d.getSum());
    for (String size :
        List.of(
            "grpc.server.call.sent_total_compressed_message_size",
            "grpc.server.call.rcvd_total_compressed_message_size")) {
      assertEquals("By", metric(all, size).getUnit());
      assertEquals(
          Instruments.SIZE_BUCKETS.stream().map(Long::doubleValue).toList(),
          histogram(all, size, ok).getBoundaries());
    }
    assertEquals(
        5000, histogram(all, "grpc.server.call.sent_total_compressed_message_size", ok).getSum());
    assertEquals(
        12, histogram(all, "grpc.server.call.rcvd_total_compressed_message_size", ok).getSum());
  }

  @Test
  void streamingCallSumsMessagesAndRecordsAFailure() {
    ServerCallTracer t = arrive("chat.Chat/Talk", true);
    for (int i = 0; i < 4; i++) {
      t.inboundMessage(i, 50, 200);
      t.outboundMessage(i, 30, -1);
    }
    t.callEnded(Status.CANCELLED.withDescription("client went away"));
    Collection<MetricData> all = f.collect();
    Attributes cancelled = ended("chat.Chat/Talk", "CANCELLED");
    assertEquals(
        200,
        histogram(all, "grpc.server.call.rcvd_total_compressed_message_size", cancelled).getSum());
    assertEquals(
        120,
        histogram(all, "grpc.server.call.sent_total_compressed_message_size", cancelled).getSum());
  }

  @Test
  void unregisteredMethodsShareTheGenericNameOther() {
    for (int i = 0; i < 50; i++) {
      arrive("attacker.Chosen/Name" + i, false).callEnded(Status.UNIMPLEMENTED);
    }
    Collection<MetricData> all = f.collect();
    assertEquals(
        50, counter(all, "grpc.server.call.started", Attributes.of(Instruments.METHOD, "other")));
    assertEquals(1, metric(all, "grpc.server.call.duration").getHistogramData().getPoints().size());
    assertEquals(
        50,
        histogram(all, "grpc.server.call.duration", ended("other", "UNIMPLEMENTED")).getCount());
  }

  @Test
  void methodFilterCanRecordUnregisteredNames() {
    try (OtelFixture filtered =
        new OtelFixture(null, b -> b.methodAttributeFilter(m -> m.startsWith("generic.")))) {
      filtered
          .provider
          .serverCallTracers()
          .newCallTracer(new ServerCallInfo("generic.Any/Thing", false, new Metadata(), null))
          .callEnded(Status.OK);
      assertEquals(
          1,
          histogram(
                  filtered.collect(), "grpc.server.call.duration", ended("generic.Any/Thing", "OK"))
              .getCount());
    }
  }
}
