package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI against grpc-java's reflection service ({@code ProtoReflectionServiceV1}, or only the
 * deprecated v1alpha one, which the CLI falls back to): grpc-java's side is the interop module's
 * {@code GrpcJavaReflectionPeer} program on the grpc-java class path the interop build fetches
 * (skipped when it has not).
 */
class GrpcJavaReflectionServerIT {
  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void listsDescribesAndCallsAGrpcJavaServer(String version) throws Exception {
    Path lib = Path.of(System.getProperty("grpc.java.lib", "missing"));
    Assumptions.assumeTrue(
        Files.isRegularFile(lib.resolve(".complete")),
        "grpc-java's jars are not in " + lib + " (the interop module's verify fetches them)");
    Path peer = Path.of(System.getProperty("grpc.java.peer"));
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                lib.resolve("*").toString(),
                peer.toString(),
                "server",
                version)
            .redirectErrorStream(true)
            .start();
    try {
      CompletableFuture<String> listening = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("LISTENING ")) {
                      listening.complete(line.substring("LISTENING ".length()));
                    }
                  }
                } catch (Exception e) {
                  listening.completeExceptionally(e);
                } finally {
                  listening.completeExceptionally(new AssertionError("the peer ended"));
                }
              },
              "grpc-java-peer-output");
      reader.setDaemon(true);
      reader.start();
      String target = "127.0.0.1:" + listening.get(60, TimeUnit.SECONDS);

      CliFixtures.Result list = CliFixtures.run("list", "--plaintext", target);
      assertEquals(0, list.exitCode(), list.toString());
      assertTrue(list.lines().contains("grpc.testing.TestService"), list.out());

      CliFixtures.Result describe =
          CliFixtures.run("describe", "--plaintext", target, "grpc.testing.SimpleRequest");
      assertEquals(0, describe.exitCode(), describe.toString());
      assertTrue(describe.out().contains("  int32 response_size = 2;\n"), describe.out());

      CliFixtures.Result call =
          CliFixtures.run(
              "call", "--plaintext", target, "grpc.testing.TestService/UnaryCall", "{}");
      assertEquals(64 + 12, call.exitCode(), call.toString());
      assertEquals(List.of(), call.lines());
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
