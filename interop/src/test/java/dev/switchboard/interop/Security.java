package dev.switchboard.interop;

import dev.switchboard.api.DialOptions;
import java.io.IOException;
import java.util.List;

/**
 * How the interop matrix secures its connections: each direction runs the same cases once per
 * value. TLS uses grpc-java's own flags and the gRPC project's test certificates (the server's
 * names {@code *.test.google.fr}; clients trust only the test CA and check the name through the
 * authority override), on both sides and for both implementations.
 */
enum Security {
  PLAINTEXT(false),
  TLS(true);

  /** The name the server's test certificate carries, as grpc-java's interop runs override it. */
  static final String HOST_OVERRIDE = "foo.test.google.fr";

  private final boolean tls;

  Security(boolean tls) {
    this.tls = tls;
  }

  /** The flags of a server, ours or grpc-java's ({@code TestServiceServer}). */
  List<String> serverFlags() {
    return List.of("--use_tls=" + tls);
  }

  /** The flags of a client, ours ({@code bin/interop-client}) or grpc-java's. */
  List<String> clientFlags() {
    return tls
        ? List.of("--use_tls=true", "--use_test_ca=true", "--server_host_override=" + HOST_OVERRIDE)
        : List.of("--use_tls=false");
  }

  /** What {@link #clientFlags()} make of our client's channel to {@code port}, in this JVM. */
  DialOptions dialOptions(int port) throws IOException {
    return InteropClient.security(
            DialOptions.newBuilder(), tls, tls, tls ? HOST_OVERRIDE : null, port)
        .build();
  }

  /** A suffix for report and log names: {@code ""} or {@code "-tls"}. */
  String suffix() {
    return tls ? "-tls" : "";
  }

  /** Words for report titles: {@code "plaintext"} or {@code "TLS"}. */
  String title() {
    return tls ? "TLS" : "plaintext";
  }
}
