package dev.switchboard.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.DialOptions;
import dev.switchboard.clientconn.ClientConns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Our interop client against grpc-java 1.79.0's interop server (TestServiceServer, its own JVM and
 * class path), in plaintext and over TLS ({@link Security}): the same cases both times. Every case
 * of our client runs except the two compression probes (client_compressed_unary,
 * client_compressed_streaming): grpc-java's server cannot see whether a request arrived compressed,
 * so it never refuses the probe. Their _noprobe variants run. The cases run in this JVM, each on a
 * fresh channel; the launch script {@code bin/interop-client} is checked too, with the same flags,
 * for its exit status.
 */
class GrpcJavaServerIT {
  /** Not run against grpc-java's server, and why. */
  static final Set<TestCase> NOT_SUPPORTED_BY_GRPC_JAVA_SERVER =
      EnumSet.of(TestCase.CLIENT_COMPRESSED_UNARY, TestCase.CLIENT_COMPRESSED_STREAMING);

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

  /** One run of the matrix, against a grpc-java server of its own. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Direction {
    private final Security security;
    private final Path logs;
    private final MatrixReport report;
    private PeerProcess server;
    private int port;

    Direction(Security security) {
      this.security = security;
      this.logs = Programs.LOGS.resolve("grpc-java-server" + security.suffix());
      this.report =
          new MatrixReport(
              "our-client-vs-grpc-java-server" + security.suffix(),
              "Switchboard InteropClient -> grpc-java 1.79.0 TestServiceServer ("
                  + security.title()
                  + "):");
    }

    @BeforeAll
    void startGrpcJavaServer() throws Exception {
      String addressType = Programs.grpcJavaAddressType();
      AssertionError lastFailure = null;
      // TestServiceServer cannot listen on port 0 and tell us the port: take a free one, and try
      // another if someone else got it first.
      for (int attempt = 1; attempt <= 3 && server == null; attempt++) {
        int candidate = Programs.freePort();
        List<String> command =
            Programs.command(
                Programs.JAVA,
                "-cp",
                Programs.grpcJavaClasspath(),
                Programs.GRPC_JAVA_SERVER,
                "--port=" + candidate,
                "--address_type=" + addressType);
        command.addAll(security.serverFlags());
        PeerProcess p =
            PeerProcess.start(
                "grpc-java-server" + security.suffix(),
                command,
                logs.resolve("grpc-java-server-" + attempt + ".log"),
                Pattern.compile("Server started on port (\\d+)"));
        try {
          p.awaitLine(60, TimeUnit.SECONDS);
          server = p;
          port = candidate;
        } catch (AssertionError e) {
          lastFailure = e;
          p.close();
        }
      }
      if (server == null) {
        throw lastFailure;
      }
    }

    @AfterAll
    void stopGrpcJavaServer() throws IOException {
      if (server != null) {
        server.close();
      }
      report.print();
    }

    @TestFactory
    Stream<DynamicTest> ourClientAgainstGrpcJavaServer() throws IOException {
      DialOptions dial = security.dialOptions(port);
      InteropTests.SoakConfig d = InteropTests.SoakConfig.defaults();
      InteropTests tests =
          new InteropTests(
              () -> ClientConns.newClient("127.0.0.1:" + port, dial),
              new InteropTests.SoakConfig(
                  Programs.SOAK_ITERATIONS,
                  d.maxFailures(),
                  5000,
                  d.minTimeMsBetweenRpcs(),
                  60,
                  d.requestSize(),
                  d.responseSize(),
                  d.threads()));
      return Arrays.stream(TestCase.values())
          .filter(c -> !NOT_SUPPORTED_BY_GRPC_JAVA_SERVER.contains(c))
          .map(
              c ->
                  report.test(
                      c.flagName(),
                      () -> {
                        assertTrue(
                            server.isAlive(),
                            "grpc-java's server died; its log:\n" + server.tail());
                        tests.run(c);
                      }));
    }

    @Test
    void launchScriptExitsZeroWhenAllPass() throws Exception {
      Programs.Run run = runScript("empty_unary,large_unary,custom_metadata");
      assertEquals(0, run.exitCode(), run.output());
      assertTrue(
          run.output().contains("PASS empty_unary\nPASS large_unary\nPASS custom_metadata\n"),
          run.output());
      assertTrue(run.output().endsWith("3 passed, 0 failed\n"), run.output());
    }

    @Test
    void launchScriptExitsNonZeroWhenACaseFails() throws Exception {
      // The probe expects INVALID_ARGUMENT, which grpc-java's server never sends.
      Programs.Run run = runScript("client_compressed_unary");
      assertEquals(1, run.exitCode(), run.output());
      assertTrue(run.output().startsWith("FAIL client_compressed_unary: "), run.output());
    }

    private Programs.Run runScript(String cases) throws Exception {
      List<String> command =
          Programs.command(
              Programs.script("interop-client").toString(),
              "--server_host=127.0.0.1",
              "--server_port=" + port,
              "--test_case=" + cases);
      command.addAll(security.clientFlags());
      return Programs.run(
          command,
          logs.resolve("script-" + cases.replace(',', '+') + ".log"),
          120,
          TimeUnit.SECONDS);
    }
  }
}
