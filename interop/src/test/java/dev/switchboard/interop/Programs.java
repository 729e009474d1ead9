package dev.switchboard.interop;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the programs under test are, and how to run them: our launch scripts ({@code interop/bin}),
 * grpc-java's interop programs (fetched by the build into {@code grpc.java.lib}, run in their own
 * JVMs with their own class path), the JVM to use, and bounded one-shot runs.
 */
final class Programs {
  static final Path HOME = Path.of(required("interop.home"));
  static final Path TARGET = Path.of(required("interop.target"));
  static final Path GRPC_JAVA_LIB = Path.of(required("grpc.java.lib"));
  static final Path LOGS = TARGET.resolve("interop-logs");

  /**
   * Iterations of rpc_soak and channel_soak in CI, both ways (the gRPC default is 10): a few
   * hundred calls, and as many fresh channels, per run.
   */
  static final int SOAK_ITERATIONS = 200;

  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  static final String GRPC_JAVA_CLIENT = "io.grpc.testing.integration.TestServiceClient";
  static final String GRPC_JAVA_SERVER = "io.grpc.testing.integration.TestServiceServer";

  private Programs() {}

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "system property "
              + property
              + " is not set: run the integration tests through Maven (failsafe)");
    }
    return value;
  }

  static Path script(String name) {
    return HOME.resolve("bin").resolve(name);
  }

  /** grpc-java's class path: every jar the build fetched. */
  static String grpcJavaClasspath() {
    if (!Files.isRegularFile(GRPC_JAVA_LIB.resolve(".complete"))) {
      throw new IllegalStateException(
          "grpc-java's interop programs are not in "
              + GRPC_JAVA_LIB
              + ": the build fetches them in pre-integration-test (not with -DskipTests/-DskipITs)");
    }
    return GRPC_JAVA_LIB.resolve("*").toString();
  }

  /** A port that was free a moment ago on 127.0.0.1 (for programs that cannot take port 0). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  /**
   * grpc-java's TestServiceServer binds the address the host name resolves to with {@code
   * --address_type=IPV4}; when the name does not resolve it can only bind the wildcard.
   */
  static String grpcJavaAddressType() {
    try {
      InetAddress.getByName(InetAddress.getLocalHost().getHostName());
      return "IPV4";
    } catch (UnknownHostException e) {
      System.err.println(
          "warning: the host name does not resolve; grpc-java's server listens on"
              + " the wildcard address (IPV4_IPV6)");
      return "IPV4_IPV6";
    }
  }

  /** The outcome of a one-shot program run. */
  record Run(int exitCode, String output, long millis, boolean timedOut) {}

  /** Runs {@code command} to completion, output to {@code log}; kills it after {@code timeout}. */
  static Run run(List<String> command, Path log, long timeout, TimeUnit unit)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    Thread reaper = new Thread(p::destroyForcibly, "reaper-" + p.pid());
    Runtime.getRuntime().addShutdownHook(reaper); // should this JVM end first
    boolean finished;
    try {
      finished = p.waitFor(timeout, unit);
    } finally {
      if (p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    return new Run(finished ? p.exitValue() : -1, output, millis, !finished);
  }

  static List<String> command(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
