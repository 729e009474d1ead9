package dev.switchboard.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-running program under test (a server) in its own process: its output goes to a log file
 * through a pump thread that also watches for one line (e.g. "Server started on port N"). {@link
 * #close()} always ends it: SIGTERM, then SIGKILL if it does not exit in time.
 */
final class PeerProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final CompletableFuture<Matcher> watched = new CompletableFuture<>();
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

  private PeerProcess(String name, Process process, Path log, Pattern watchFor) {
    this.name = name;
    this.process = process;
    this.log = log;
    Thread pump = new Thread(() -> pump(watchFor), name + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code command}; stdin is empty, stdout and stderr go to {@code log}. */
  static PeerProcess start(String name, List<String> command, Path log, Pattern watchFor)
      throws IOException {
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    // Should this JVM end first (a forked-process timeout, say), the process goes with it.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.descendants().forEach(ProcessHandle::destroyForcibly);
                  process.destroyForcibly();
                },
                name + "-reaper"));
    return new PeerProcess(name, process, log, watchFor);
  }

  private void pump(Pattern watchFor) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out =
            new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.println(line);
        Matcher m = watchFor.matcher(line);
        if (!watched.isDone() && m.find()) {
          watched.complete(m);
        }
      }
    } catch (IOException e) {
      watched.completeExceptionally(e);
    } finally {
      watched.completeExceptionally(new IllegalStateException(name + " ended its output"));
      outputEnded.complete(null);
    }
  }

  /**
   * Waits for the watched line.
   *
   * @throws AssertionError with the log's tail when it does not come in time or the process ends
   */
  Matcher awaitLine(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      return watched.get(timeout, unit);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(
          name
              + " did not print the expected line within "
              + unit.toSeconds(timeout)
              + " s (alive: "
              + process.isAlive()
              + "); log "
              + log
              + ":\n"
              + tail(),
          e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /**
   * Sends SIGTERM and waits for the exit; returns the exit status, or -1 when it had to be killed.
   */
  int terminate(long timeout, TimeUnit unit) throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of its output, losing what
    // the process prints while it shuts down.
    process.toHandle().destroy();
    if (process.waitFor(timeout, unit)) {
      return process.exitValue();
    }
    kill();
    return -1;
  }

  private void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** The last lines of the log. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** The whole log; once the process has exited, waits (briefly) until all its output is in. */
  String output() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      try {
        outputEnded.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // read what is there
      }
    }
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Ends the process if it still runs: SIGTERM, SIGKILL after 10 s (at once if interrupted). */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        terminate(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + log + ")";
  }
}
