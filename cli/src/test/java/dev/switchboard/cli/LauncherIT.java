package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.examples.GreeterService;
import dev.switchboard.reflection.ReflectionService;
import dev.switchboard.server.Servers;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/switchboard}, the launcher, run as a process against a loopback greeter server with
 * reflection: after {@code package}, as users run it.
 */
class LauncherIT {
  private static Server server;

  @BeforeAll
  static void start() throws IOException {
    server =
        Servers.newServer(
            ServerOptions.newBuilder()
                .insecure()
                .listen("127.0.0.1", 0)
                .addService(new GreeterService("launcher").bindService())
                .build());
    ReflectionService.addTo(server);
    server.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  record Outcome(int exitCode, String out, String err) {}

  private static Outcome launch(String stdin, String... args) throws Exception {
    Path launcher = Path.of(System.getProperty("cli.home"), "bin", "switchboard");
    List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("launcher did not end within 60 s: " + command);
      }
      return new Outcome(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void callsAndReportsFailuresWithExitCodes() throws Exception {
    String target = "127.0.0.1:" + server.port();
    Outcome list = launch("", "list", "--plaintext", target);
    assertEquals(0, list.exitCode(), list.toString());
    assertTrue(
        list.out().contains("switchboard.examples.helloworld.Greeter" + System.lineSeparator()));

    Outcome call =
        launch(
            "{\"name\":\"a\"} {\"name\":\"b\"}",
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/SayHelloToAll");
    assertEquals(0, call.exitCode(), call.toString());
    assertEquals(
        "{\"message\":\"Hello, a, b! (2 names)\",\"backend\":\"launcher\"}"
            + System.lineSeparator(),
        call.out());

    Outcome failed =
        launch(
            "",
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/SayHelloStream",
            "{\"count\":-1}");
    assertEquals(64 + 3, failed.exitCode(), failed.toString());
    assertTrue(failed.err().startsWith("ERROR: code = InvalidArgument desc = "), failed.err());
    assertTrue(new File(System.getProperty("cli.home"), "target/switchboard-cli.jar").isFile());
  }
}
