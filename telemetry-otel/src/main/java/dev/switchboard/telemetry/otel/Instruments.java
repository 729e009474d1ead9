package dev.switchboard.telemetry.otel;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import java.util.List;

/** The gRFC A66 instruments, made once per {@link SwitchboardOpenTelemetry}. */
final class Instruments {
  /** Instrumentation scope of the meter and the tracer. */
  static final String SCOPE = "dev.switchboard";

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("grpc.method");
  static final AttributeKey<String> STATUS = AttributeKey.stringKey("grpc.status");
  static final AttributeKey<String> TARGET = AttributeKey.stringKey("grpc.target");

  /** A66 latency buckets, in seconds. */
  static final List<Double> LATENCY_BUCKETS =
      List.of(
          0.0, 0.00001, 0.00005, 0.0001, 0.0003, 0.0006, 0.0008, 0.001, 0.002, 0.003, 0.004, 0.005,
          0.006, 0.008, 0.01, 0.013, 0.016, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1, 0.13,
          0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.65, 0.8, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0);

  /** A66 size buckets, in bytes. */
  static final List<Long> SIZE_BUCKETS =
      List.of(
          0L,
          1024L,
          2048L,
          4096L,
          16384L,
          65536L,
          262144L,
          1048576L,
          4194304L,
          16777216L,
          67108864L,
          268435456L,
          1073741824L,
          4294967296L);

  final LongCounter clientAttemptStarted;
  final DoubleHistogram clientAttemptDuration;
  final LongHistogram clientAttemptSentBytes;
  final LongHistogram clientAttemptRcvdBytes;
  final DoubleHistogram clientCallDuration;
  final LongCounter serverCallStarted;
  final DoubleHistogram serverCallDuration;
  final LongHistogram serverCallSentBytes;
  final LongHistogram serverCallRcvdBytes;

  Instruments(OpenTelemetry otel, String version) {
    MeterBuilder mb = otel.getMeterProvider().meterBuilder(SCOPE);
    if (version != null) {
      mb.setInstrumentationVersion(version);
    }
    Meter m = mb.build();
    clientAttemptStarted =
        m.counterBuilder("grpc.client.attempt.started")
            .setUnit("{attempt}")
            .setDescription(
                "The total number of RPC attempts started, including those that have not completed.")
            .build();
    clientAttemptDuration =
        latency(
            m,
            "grpc.client.attempt.duration",
            "End-to-end time taken to complete an RPC attempt including the time it takes to pick a"
                + " subchannel.");
    clientAttemptSentBytes =
        size(
            m,
            "grpc.client.attempt.sent_total_compressed_message_size",
            "Total bytes (compressed but not encrypted) sent across all request messages (metadata"
                + " excluded) per RPC attempt; does not include grpc or transport framing bytes.");
    clientAttemptRcvdBytes =
        size(
            m,
            "grpc.client.attempt.rcvd_total_compressed_message_size",
            "Total bytes (compressed but not encrypted) received across all response messages"
                + " (metadata excluded) per RPC attempt; does not include grpc or transport framing"
                + " bytes.");
    clientCallDuration =
        latency(
            m,
            "grpc.client.call.duration",
            "This metric aims to measure the end-to-end time the gRPC library takes to complete an"
                + " RPC from the application's perspective.");
    serverCallStarted =
        m.counterBuilder("grpc.server.call.started")
            .setUnit("{call}")
            .setDescription(
                "The total number of RPCs started, including those that have not completed.")
            .build();
    serverCallDuration =
        latency(
            m,
            "grpc.server.call.duration",
            "This metric aims to measure the end2end time an RPC takes from the server transport's"
                + " (HTTP2/ inproc) perspective.");
    serverCallSentBytes =
        size(
            m,
            "grpc.server.call.sent_total_compressed_message_size",
            "Total bytes (compressed but not encrypted) sent across all response messages (metadata"
                + " excluded) per RPC; does not include grpc or transport framing bytes.");
    serverCallRcvdBytes =
        size(
            m,
            "grpc.server.call.rcvd_total_compressed_message_size",
            "Total bytes (compressed but not encrypted) received across all request messages"
                + " (metadata excluded) per RPC; does not include grpc or transport framing bytes.");
  }

  private static DoubleHistogram latency(Meter m, String name, String description) {
    return m.histogramBuilder(name)
        .setUnit("s")
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS)
        .build();
  }

  private static LongHistogram size(Meter m, String name, String description) {
    return m.histogramBuilder(name)
        .ofLongs()
        .setUnit("By")
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(SIZE_BUCKETS)
        .build();
  }
}
