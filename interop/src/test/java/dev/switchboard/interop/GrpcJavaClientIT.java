package dev.switchboard.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * grpc-java 1.79.0's interop client (TestServiceClient, its own JVM and class path) against our
 * interop server, started as a user would: {@code interop/bin/interop-server --port=0}, in
 * plaintext and over TLS ({@link Security}), the same cases both times. Every case of the plaintext
 * set runs, compression probes included (our server checks {@code expect_compressed}, grpc-java's
 * does not), one client JVM per case since TestServiceClient takes one {@code --test_case}, {@link
 * #PARALLELISM} at a time. The JVMs share an AppCDS archive, written by the first case, which
 * halves their start-up. Last, the server must stop gracefully on SIGTERM.
 */
class GrpcJavaClientIT {
  /**
   * grpc-java's plaintext cases (TestServiceClient --help, minus those needing cloud credentials or
   * a caching proxy), which run over TLS too.
   */
  static final List<String> CASES =
      List.of(
          "empty_unary",
          "large_unary",
          "client_compressed_unary",
          "client_compressed_unary_noprobe",
          "server_compressed_unary",
          "client_streaming",
          "client_compressed_streaming",
          "client_compressed_streaming_noprobe",
          "server_streaming",
          "server_compressed_streaming",
          "ping_pong",
          "empty_stream",
          "custom_metadata",
          "status_code_and_message",
          "special_status_message",
          "unimplemented_method",
          "unimplemented_service",
          "cancel_after_begin",
          "cancel_after_first_response",
          "timeout_on_sleeping_server",
          "very_large_request",
          "pick_first_unary",
          "rpc_soak",
          "channel_soak",
          "orca_per_rpc",
          "orca_oob");

  static final long CASE_TIMEOUT_SECONDS = 120;

  /** Client JVMs at a time (-Dinterop.parallelism); 2 suits a 2-core machine. */
  static final int PARALLELISM = Integer.getInteger("interop.parallelism", 2);

  @Nested
  class Plaintext extends Direction {
    Plaintext() {
      super(Security.PLAINTEXT);
    }
  }

  @Nested
  class Tls extends Direction {
    Tls() {
      super(Security.TLS);
    }
  }

  /** One run of the matrix, against a server of our own. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  abstract static class Direction {
    private final Security security;
    private final Path logs;
    private final MatrixReport report;
    private PeerProcess server;
    private int port;
    private final Cds cds;
    private ExecutorService pool;

    Direction(Security security) {
      this.security = security;
      this.cds = new Cds(security);
      this.logs = Programs.LOGS.resolve("grpc-java-client" + security.suffix());
      this.report =
          new MatrixReport(
              "grpc-java-client-vs-our-server" + security.suffix(),
              "grpc-java 1.79.0 TestServiceClient -> Switchboard InteropServer (bin/interop-server, "
                  + security.title()
                  + "):");
    }

    @BeforeAll
    void startOurServer() throws Exception {
      List<String> command =
          Programs.command(Programs.script("interop-server").toString(), "--port=0");
      command.addAll(security.serverFlags());
      server =
          PeerProcess.start(
              "interop-server" + security.suffix(),
              command,
              logs.resolve("our-server.log"),
              Pattern.compile("^Server started on port (\\d+)$"));
      port = Integer.parseInt(server.awaitLine(60, TimeUnit.SECONDS).group(1));
      pool = Executors.newFixedThreadPool(PARALLELISM);
    }

    @AfterAll
    void stopOurServer() throws Exception {
      if (pool != null) {
        pool.shutdownNow(); // interrupts runs still waiting: they kill their client JVM
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
      if (server != null) {
        server.close();
      }
      report.print();
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> grpcJavaClientAgainstOurServer() throws Exception {
      // One JVM per case, PARALLELISM at a time; the first runs alone, as it may write the CDS
      // archive.
      Map<String, Future<Programs.Run>> runs = new LinkedHashMap<>();
      runs.put(CASES.get(0), CompletableFuture.completedFuture(launch(CASES.get(0))));
      for (String c : CASES.subList(1, CASES.size())) {
        runs.put(c, pool.submit(() -> launch(c)));
      }
      return runs.entrySet().stream()
          .map(
              e ->
                  report.timedTest(
                      e.getKey(),
                      () -> {
                        Programs.Run run =
                            e.getValue().get(CASE_TIMEOUT_SECONDS * CASES.size(), TimeUnit.SECONDS);
                        try {
                          check(e.getKey(), run);
                        } catch (AssertionError failure) {
                          throw new MatrixReport.CaseFailure(run.millis(), failure);
                        }
                        return run.millis();
                      }));
    }

    /** Runs grpc-java's client for {@code testCase} against our server. */
    private Programs.Run launch(String testCase) throws IOException, InterruptedException {
      List<String> command = Programs.command(Programs.JAVA);
      command.addAll(cds.jvmOptions());
      command.addAll(
          List.of(
              "-cp",
              Programs.grpcJavaClasspath(),
              Programs.GRPC_JAVA_CLIENT,
              "--server_host=127.0.0.1",
              "--server_port=" + port,
              "--test_case=" + testCase));
      command.addAll(security.clientFlags());
      command.addAll(caseFlags(testCase));
      Programs.Run run =
          Programs.run(
              command, logs.resolve(testCase + ".log"), CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      cds.ranSuccessfully(run.exitCode() == 0);
      return run;
    }

    private void check(String testCase, Programs.Run run) {
      boolean passed = run.exitCode() == 0 && run.output().contains("Test completed.");
      assertTrue(
          passed,
          () ->
              testCase
                  + (run.timedOut() ? " timed out" : " failed (exit " + run.exitCode() + ")")
                  + " after "
                  + run.millis()
                  + " ms; grpc-java's output:\n"
                  + run.output()
                  + "\nour server (alive: "
                  + server.isAlive()
                  + "), its log:\n"
                  + server.tail());
    }

    @Test
    @Order(2)
    void ourServerStopsGracefullyOnSigterm() throws Exception {
      int exit = server.terminate(20, TimeUnit.SECONDS);
      String log = server.output();
      assertEquals(143, exit, "exit status after SIGTERM (-1: had to be killed); log:\n" + log);
      assertTrue(log.contains("Shutting down"), "no shutdown message; log:\n" + log);
    }
  }

  /** Flags a case needs against any correct server. */
  private static List<String> caseFlags(String testCase) {
    List<String> flags = new ArrayList<>();
    switch (testCase) {
      // The ORCA cases need the client's test policy, which TestServiceClient registers but
      // does not select.
      case "orca_per_rpc", "orca_oob" ->
          flags.add(
              "--service_config_json="
                  + "{\"loadBalancingConfig\":[{\"test_backend_metrics_load_balancer\":{}}]}");
      // The default 1000 ms per iteration trips on a cold JVM on a busy 2-core machine, and the
      // default 10 s overall ended channel_soak (a new channel per iteration) at 181 of 200
      // iterations at load average 12: what is tested is that no iteration fails.
      case "rpc_soak", "channel_soak" -> {
        flags.add("--soak_per_iteration_max_acceptable_latency_ms=5000");
        flags.add("--soak_overall_timeout_seconds=120");
        flags.add("--soak_iterations=" + Programs.SOAK_ITERATIONS);
      }
      default -> {}
    }
    return flags;
  }

  /**
   * A dynamic AppCDS archive for the short-lived grpc-java client JVMs: the first run that finds
   * none writes it at exit; later runs map it. Kept under target/, keyed by the JVM's version and
   * by {@link Security} (a TLS client loads many classes a plaintext one does not).
   */
  static final class Cds {
    private final Path archive;
    private final Path dumping;
    private boolean dumpingNow;
    private boolean dumpTried; // only once: a failed first run leaves the rest without CDS

    Cds(Security security) {
      archive =
          Programs.TARGET
              .resolve("grpc-java-cds")
              .resolve(
                  "client-"
                      + Runtime.version().toString().replaceAll("[^A-Za-z0-9.+_-]", "_")
                      + security.suffix()
                      + ".jsa");
      dumping = archive.resolveSibling(archive.getFileName() + ".tmp");
    }

    synchronized List<String> jvmOptions() throws IOException {
      if (Files.isRegularFile(archive)) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
      }
      if (dumpTried) {
        return List.of();
      }
      dumpTried = true;
      Files.createDirectories(archive.getParent());
      Files.deleteIfExists(dumping);
      dumpingNow = true;
      return List.of("-XX:ArchiveClassesAtExit=" + dumping);
    }

    /** After a run: keeps a freshly written archive when that run went well. */
    synchronized void ranSuccessfully(boolean ok) throws IOException {
      if (!dumpingNow) {
        return;
      }
      dumpingNow = false;
      if (ok && Files.isRegularFile(dumping) && Files.size(dumping) > 0) {
        Files.move(dumping, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.deleteIfExists(dumping);
      }
    }
  }
}
