package dev.switchboard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launch scripts, end to end, after {@code package} filled {@code target/lib}: starts {@code
 * bin/benchmark-server --port=0}, drives it for a few seconds with {@code bin/benchmark-client}
 * (unary, then streaming ping-pong; over TLS, handshakes then unary) and stops the server with
 * SIGTERM.
 */
@Timeout(120)
class LaunchScriptsIT {
  private static final Path HOME =
      Path.of(System.getProperty("benchmarks.basedir", ".")).toAbsolutePath();
  private static final Pattern LISTENING = Pattern.compile("QPS Server started on .*:(\\d+)\\]");
  private static final String SMALL_JVM = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  @Test
  void serverAndClientScripts() throws Exception {
    serveAndDrive(
        List.of("--port=0", "--direct"),
        List.of(
            List.of("--channels=2", "--outstanding_rpcs=2", "--duration=2", "--warmup_duration=1"),
            List.of(
                "--channels=2",
                "--outstanding_rpcs=2",
                "--duration=2",
                "--warmup_duration=1",
                "--streaming_rpcs")));
  }

  /** The packaged jar finds the test certificates the build unpacked next to it. */
  @Test
  void tlsScripts() throws Exception {
    serveAndDrive(
        List.of("--port=0", "--tls"),
        List.of(
            List.of("--tls", "--testca", "--handshakes=3", "--warmup_duration=0"),
            List.of(
                "--tls",
                "--testca",
                "--channels=1",
                "--outstanding_rpcs=2",
                "--duration=1",
                "--warmup_duration=0")));
  }

  /**
   * Netty's native epoll transport on both sides: asked for explicitly, the transport fails to
   * start rather than fall back to NIO, so calls that complete went over epoll sockets.
   */
  @Test
  void epollScripts() throws Exception {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && System.getProperty("os.arch").equals("amd64"),
        "the epoll jar's native library is for Linux x86_64");
    serveAndDrive(
        List.of("--port=0", "--transport=netty_epoll"),
        List.of(
            List.of(
                "--transport=netty_epoll",
                "--channels=1",
                "--outstanding_rpcs=2",
                "--duration=1",
                "--warmup_duration=0")));
  }

  /** Starts the server script, runs the client script once per flag list, stops the server. */
  private static void serveAndDrive(List<String> serverArgs, List<List<String>> clientRuns)
      throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
        "needs bash");
    ProcessBuilder serverBuilder = script("benchmark-server", serverArgs.toArray(String[]::new));
    serverBuilder.redirectErrorStream(true);
    Process server = serverBuilder.start();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> port =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  for (String line; (line = lines.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                      return m.group(1);
                    }
                  }
                  throw new IllegalStateException("server exited before listening");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      String address = "127.0.0.1:" + port.get(60, TimeUnit.SECONDS);
      // Keep draining the server's output so it never blocks on a full pipe.
      Thread drain =
          new Thread(
              () -> {
                try {
                  lines.lines().forEach(l -> {});
                } catch (java.io.UncheckedIOException e) {
                  // the pipe closes when the process ends: nothing left to drain
                }
              },
              "server-output");
      drain.setDaemon(true);
      drain.start();

      for (List<String> extra : clientRuns) {
        String out = runClient(address, extra);
        // AsyncClient's QPS line is there for scripts; calls completed and none failed is what
        // counts (QPS rounds down to 0 when a slow machine takes over a second per handshake).
        assertTrue(Pattern.compile("(?m)^QPS:\\s+\\d+$").matcher(out).find(), out);
        Matcher completed = Pattern.compile("(?m)^Completed RPCs:\\s+(\\d+)$").matcher(out);
        assertTrue(completed.find(), out);
        assertTrue(Long.parseLong(completed.group(1)) > 0, out);
        assertTrue(Pattern.compile("(?m)^Failed slots:\\s+0$").matcher(out).find(), out);
      }
    } finally {
      server.destroy(); // SIGTERM: the script exec'd the JVM, whose shutdown hook stops the server
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "server stops on SIGTERM");
    }
    assertEquals(143, server.exitValue(), "exit status after SIGTERM");
  }

  private static String runClient(String address, List<String> extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--address=" + address));
    if (extra.stream().noneMatch(a -> a.startsWith("--transport="))) {
      args.add("--transport=netty_nio");
    }
    args.addAll(extra);
    ProcessBuilder pb = script("benchmark-client", args.toArray(String[]::new));
    pb.redirectErrorStream(true);
    Process client = pb.start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(client.waitFor(90, TimeUnit.SECONDS), "client finished");
    String text = out.get(10, TimeUnit.SECONDS);
    assertEquals(0, client.exitValue(), text);
    return text;
  }

  private static ProcessBuilder script(String name, String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(HOME.resolve("bin").resolve(name).toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_OPTS", SMALL_JVM);
    pb.environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return pb;
  }
}
