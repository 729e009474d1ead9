package dev.switchboard.benchmarks;

import dev.switchboard.api.FlowControl;
import java.util.List;

/** What {@link BenchmarkClient} runs, from its flags (AsyncClient's, plus ours). */
record ClientConfig(
    String address,
    int channels,
    int outstandingPerChannel,
    int clientPayload,
    int serverPayload,
    int durationSeconds,
    int warmupSeconds,
    boolean streaming,
    boolean directExecutor,
    String authority,
    boolean tls,
    boolean testCa,
    int handshakes,
    String serviceConfigJson,
    FlowControl flowControl,
    boolean noopTelemetry) {
  /** With the transport's default flow control and no telemetry. */
  ClientConfig(
      String address,
      int channels,
      int outstandingPerChannel,
      int clientPayload,
      int serverPayload,
      int durationSeconds,
      int warmupSeconds,
      boolean streaming,
      boolean directExecutor,
      String authority,
      boolean tls,
      boolean testCa,
      int handshakes,
      String serviceConfigJson) {
    this(
        address,
        channels,
        outstandingPerChannel,
        clientPayload,
        serverPayload,
        durationSeconds,
        warmupSeconds,
        streaming,
        directExecutor,
        authority,
        tls,
        testCa,
        handshakes,
        serviceConfigJson,
        FlowControl.DEFAULT,
        false);
  }

  /** Load over plaintext (no TLS, no handshake mode). */
  ClientConfig(
      String address,
      int channels,
      int outstandingPerChannel,
      int clientPayload,
      int serverPayload,
      int durationSeconds,
      int warmupSeconds,
      boolean streaming,
      boolean directExecutor,
      String authority) {
    this(
        address,
        channels,
        outstandingPerChannel,
        clientPayload,
        serverPayload,
        durationSeconds,
        warmupSeconds,
        streaming,
        directExecutor,
        authority,
        false,
        false,
        0,
        "");
  }

  /** {@return the :authority to send, or empty for the one derived from the address} */
  String effectiveAuthority() {
    if (authority.isEmpty() && tls && testCa) {
      return TestCerts.SERVER_HOST_OVERRIDE;
    }
    return authority;
  }

  static final List<Flags.Spec> FLAGS =
      FlowControlFlags.with(
          Flags.Spec.value("address", null, "HOST:PORT of the server. Required."),
          Flags.Spec.value("channels", "4", "Number of channels (connections)."),
          Flags.Spec.value("outstanding_rpcs", "10", "Calls in flight per channel."),
          Flags.Spec.value("client_payload", "0", "Request payload size, bytes."),
          Flags.Spec.value("server_payload", "0", "Response payload size, bytes."),
          Flags.Spec.value("duration", "60", "Measured duration, seconds."),
          Flags.Spec.value("warmup_duration", "10", "Warm-up duration, seconds (not measured)."),
          Flags.Spec.bool(
              "streaming_rpcs", "Streaming ping-pong (StreamingCall) instead of unary."),
          Flags.Spec.bool(
              "directexecutor",
              "Run call callbacks on the transport's event-loop thread instead of a pool."),
          Flags.Spec.value("authority", "", "The :authority to send (default: the address)."),
          Flags.Spec.value(
              "save_histogram",
              "",
              "Write the merged latency histogram (nanoseconds) to this file, HdrHistogram log format."),
          TransportFlag.SPEC,
          Flags.Spec.bool(
              "tls", "TLS (as AsyncClient --tls); trusts the platform's roots unless --testca."),
          Flags.Spec.bool(
              "testca",
              "With --tls: trust only the gRPC test CA (ca.pem) and, unless --authority is given,"
                  + " send :authority foo.test.google.fr (as AsyncClient --tls --testca)."),
          Flags.Spec.value(
              "handshakes",
              "0",
              "Instead of load: this many fresh channels one after the other, each timed from its"
                  + " creation to the end of its first unary call (after --warmup_duration seconds"
                  + " of the same, discarded); --channels, --outstanding_rpcs, --duration and"
                  + " --streaming_rpcs do not apply."),
          Flags.Spec.value(
              "service_config_json",
              "",
              "A default service config for the channels, e.g. a methodConfig with a retryPolicy"
                  + " (to measure what the retry machinery costs)."),
          Flags.Spec.bool(
              "noop_telemetry",
              "Trace every call with a provider whose tracers do nothing (to measure what the"
                  + " telemetry hooks cost)."));

  /** {@return the configuration the parsed {@code flags} ask for} */
  static ClientConfig from(Flags flags) throws Flags.UsageException {
    if (!flags.isSet("address")) {
      throw new Flags.UsageException("--address=HOST:PORT is required");
    }
    TransportFlag.sockets(flags); // checked here, applied by the program
    if (flags.bool("testca") && !flags.bool("tls")) {
      throw new Flags.UsageException("--testca goes with --tls");
    }
    return new ClientConfig(
        flags.string("address"),
        flags.intValue("channels", 1),
        flags.intValue("outstanding_rpcs", 1),
        flags.intValue("client_payload", 0),
        flags.intValue("server_payload", 0),
        flags.intValue("duration", 0),
        flags.intValue("warmup_duration", 0),
        flags.bool("streaming_rpcs"),
        flags.bool("directexecutor"),
        flags.string("authority"),
        flags.bool("tls"),
        flags.bool("testca"),
        flags.intValue("handshakes", 0),
        flags.string("service_config_json"),
        FlowControlFlags.parse(flags),
        flags.bool("noop_telemetry"));
  }
}
