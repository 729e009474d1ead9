package dev.switchboard.itests;

import java.util.List;
import java.util.stream.Stream;

/** Switchboard's jars by artifact id, in one place for the checks that go over them. */
final class Modules {
  /** The runtime bundles: what the Karaf features {@code switchboard} + {@code -shell} install. */
  static final List<String> RUNTIME =
      List.of(
          "api",
          "core-clientconn",
          "core-server",
          "transport-netty",
          "balancer-pickfirst",
          "balancer-roundrobin",
          "codec-proto",
          "resolver-dns",
          "shell",
          "osgi-server",
          "osgi-channel");

  /** Every jar that is a JPMS module and an OSGi bundle: the runtime and the rest we publish. */
  static final List<String> ALL =
      Stream.concat(
              RUNTIME.stream(),
              Stream.of(
                  "health",
                  "testing",
                  "examples",
                  "compiler",
                  "distribution",
                  "reflection",
                  "cli",
                  "channelz",
                  "telemetry-otel"))
          .toList();

  private Modules() {}

  /** {@link #ALL}, for {@code @MethodSource}. */
  static Stream<String> all() {
    return ALL.stream();
  }
}
