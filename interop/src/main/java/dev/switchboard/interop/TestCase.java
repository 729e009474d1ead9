package dev.switchboard.interop;

import java.util.Locale;

/**
 * The interop test cases this client runs, named as in gRPC's interop-test-descriptions and
 * grpc-java's TestServiceClient ({@code --test_case=empty_unary}).
 */
enum TestCase {
  EMPTY_UNARY("empty (zero bytes) request and response"),
  LARGE_UNARY("single request and (large) response"),
  CLIENT_COMPRESSED_UNARY("client compressed unary request, after a probe the server must reject"),
  CLIENT_COMPRESSED_UNARY_NOPROBE("client compressed unary request, without the probe"),
  SERVER_COMPRESSED_UNARY("server compressed unary response"),
  CLIENT_STREAMING("request streaming with single response"),
  CLIENT_COMPRESSED_STREAMING("client per-message compression on a stream, after a probe"),
  CLIENT_COMPRESSED_STREAMING_NOPROBE(
      "client per-message compression on a stream, without the probe"),
  SERVER_STREAMING("single request with response streaming"),
  SERVER_COMPRESSED_STREAMING("server per-message compression on a stream"),
  PING_PONG("full-duplex ping-pong streaming"),
  EMPTY_STREAM("a stream with zero messages in both directions"),
  CUSTOM_METADATA("unary and full-duplex calls with echoed metadata"),
  STATUS_CODE_AND_MESSAGE("request an error code and message"),
  SPECIAL_STATUS_MESSAGE("special characters in the status message"),
  UNIMPLEMENTED_METHOD("call an unimplemented method"),
  UNIMPLEMENTED_SERVICE("call an unimplemented service"),
  CANCEL_AFTER_BEGIN("cancel a stream after starting it"),
  CANCEL_AFTER_FIRST_RESPONSE("cancel a stream on its first response"),
  TIMEOUT_ON_SLEEPING_SERVER("a 1 ms deadline on a stream the server does not answer"),
  VERY_LARGE_REQUEST("a 10 MiB request"),
  RPC_SOAK("soak_iterations large unary calls on one channel"),
  CHANNEL_SOAK("soak_iterations large unary calls, each on a new channel");

  private final String description;

  TestCase(String description) {
    this.description = description;
  }

  /** The command-line name: {@code empty_unary}. */
  String flagName() {
    return name().toLowerCase(Locale.ROOT);
  }

  String description() {
    return description;
  }

  /** The case named {@code name}, or {@code null}. */
  static TestCase fromFlagName(String name) {
    for (TestCase c : values()) {
      if (c.flagName().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
