package dev.switchboard.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The interop cases over TLS, both ways, against grpc-java 1.79.0, with grpc-java's own flags:
 * {@code --use_tls=true --use_test_ca=true --server_host_override=foo.test.google.fr} and the gRPC
 * project's test certificates (the server's names {@code *.test.google.fr}; the client trusts only
 * the test CA and checks the name). A subset of the cases: the plaintext runs cover the rest.
 */
class TlsInteropIT {
  private static final List<String> CASES =
      List.of(
          "empty_unary",
          "large_unary",
          "client_streaming",
          "server_streaming",
          "ping_pong",
          "custom_metadata",
          "status_code_and_message",
          "cancel_after_begin",
          "timeout_on_sleeping_server");
  private static final List<String> TLS_FLAGS =
      List.of("--use_tls=true", "--use_test_ca=true", "--server_host_override=foo.test.google.fr");
  private static final Path LOGS = Programs.LOGS.resolve("tls");

  @Test
  void ourClientAgainstGrpcJavasTlsServer() throws Exception {
    int port = Programs.freePort();
    try (PeerProcess server =
        PeerProcess.start(
            "grpc-java-tls-server",
            Programs.command(
                Programs.JAVA,
                "-cp",
                Programs.grpcJavaClasspath(),
                Programs.GRPC_JAVA_SERVER,
                "--port=" + port,
                "--use_tls=true",
                "--address_type=" + Programs.grpcJavaAddressType()),
            LOGS.resolve("grpc-java-server.log"),
            Pattern.compile("Server started on port (\\d+)"))) {
      server.awaitLine(60, TimeUnit.SECONDS);
      List<String> command =
          Programs.command(
              Programs.script("interop-client").toString(),
              "--server_host=127.0.0.1",
              "--server_port=" + port,
              "--test_case=" + String.join(",", CASES));
      command.addAll(TLS_FLAGS);
      Programs.Run run =
          Programs.run(command, LOGS.resolve("our-client.log"), 180, TimeUnit.SECONDS);
      assertEquals(0, run.exitCode(), run.output() + "\ngrpc-java's server:\n" + server.tail());
      assertTrue(run.output().endsWith(CASES.size() + " passed, 0 failed\n"), run.output());
    }
  }

  @Test
  void grpcJavasClientAgainstOurTlsServer() throws Exception {
    try (PeerProcess server =
        PeerProcess.start(
            "our-tls-server",
            Programs.command(
                Programs.script("interop-server").toString(), "--port=0", "--use_tls=true"),
            LOGS.resolve("our-server.log"),
            Pattern.compile("^Server started on port (\\d+)$"))) {
      int port = Integer.parseInt(server.awaitLine(60, TimeUnit.SECONDS).group(1));
      for (String testCase :
          List.of("empty_unary", "large_unary", "ping_pong", "custom_metadata")) {
        List<String> command =
            Programs.command(
                Programs.JAVA,
                "-cp",
                Programs.grpcJavaClasspath(),
                Programs.GRPC_JAVA_CLIENT,
                "--server_host=127.0.0.1",
                "--server_port=" + port,
                "--test_case=" + testCase);
        command.addAll(TLS_FLAGS);
        Programs.Run run =
            Programs.run(command, LOGS.resolve(testCase + ".log"), 120, TimeUnit.SECONDS);
        assertTrue(
            run.exitCode() == 0 && run.output().contains("Test completed."),
            testCase + " failed: " + run.output() + "\nour server:\n" + server.tail());
      }
    }
  }
}
