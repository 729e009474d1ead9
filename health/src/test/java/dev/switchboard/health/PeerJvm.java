package dev.switchboard.health;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code health/src/peer/GrpcJavaHealthPeer.java} running in its own JVM with grpc-java's jars
 * (system properties {@code grpc.java.health.lib} and {@code health.peer.source}, set by the pom):
 * lines it prints are queued for {@link #expect}, {@link #send} writes to its stdin. {@link
 * #close()} ends it.
 */
final class PeerJvm implements AutoCloseable {
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  PeerJvm(String... args) throws IOException {
    Path lib = Path.of(System.getProperty("grpc.java.health.lib"));
    assertTrue(Files.isDirectory(lib), "grpc-java jars not fetched into " + lib);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(lib + "/*");
    command.add(System.getProperty("health.peer.source"));
    command.addAll(List.of(args));
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("output failed: " + e);
              }
            },
            "grpc-java-peer-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Skips lines (grpc-java's log) until one starting with {@code prefix}, at most 30 s. */
  String expect(String prefix) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      String line = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(line, "no line starting with '" + prefix + "'; output: " + all);
      all.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  @Override
  public void close() throws Exception {
    try {
      stdin.close();
    } catch (IOException e) {
      // gone already
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
