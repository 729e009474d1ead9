package dev.switchboard.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * One direction of the interop matrix: records each case's outcome and time, and prints the table
 * (to the console and to {@code target/interop-logs/<name>.txt}) when asked.
 */
final class MatrixReport {
  /** A case that runs elsewhere: waits for it, checks it, and returns how long it took (ms). */
  interface TimedCase {
    long awaitAndCheck() throws Throwable;
  }

  /** A failed {@link TimedCase}: the failure and how long the case ran. */
  static final class CaseFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final long millis;

    CaseFailure(long millis, Throwable failure) {
      super(failure);
      this.millis = millis;
    }
  }

  private final String name;
  private final String title;
  private final List<String> rows = new ArrayList<>();
  private int passed;
  private int failed;

  MatrixReport(String name, String title) {
    this.name = name;
    this.title = title;
  }

  /** A dynamic test that runs {@code body} as case {@code testCase}, timed and recorded here. */
  DynamicTest test(String testCase, Executable body) {
    return timedTest(
        testCase,
        () -> {
          long start = System.nanoTime();
          try {
            body.execute();
          } catch (Throwable t) {
            throw new CaseFailure((System.nanoTime() - start) / 1_000_000, t);
          }
          return (System.nanoTime() - start) / 1_000_000;
        });
  }

  /** A dynamic test for a case that runs elsewhere, recorded with the time it reports. */
  DynamicTest timedTest(String testCase, TimedCase result) {
    return DynamicTest.dynamicTest(
        testCase,
        () -> {
          long millis;
          try {
            millis = result.awaitAndCheck();
          } catch (CaseFailure f) {
            record(testCase, f.millis, f.getCause());
            throw f.getCause();
          } catch (Throwable t) {
            record(testCase, -1, t);
            throw t;
          }
          record(testCase, millis, null);
        });
  }

  private synchronized void record(String testCase, long millis, Throwable failure) {
    String why = failure == null ? "" : "  " + firstLine(failure);
    rows.add(
        String.format(
            "  %-4s %-36s %6d ms%s", failure == null ? "PASS" : "FAIL", testCase, millis, why));
    if (failure == null) {
      passed++;
    } else {
      failed++;
    }
  }

  private static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  synchronized void print() throws IOException {
    StringBuilder sb = new StringBuilder(title).append('\n');
    rows.forEach(r -> sb.append(r).append('\n'));
    sb.append("  ").append(passed).append(" passed, ").append(failed).append(" failed\n");
    System.out.print(sb);
    Path file = Programs.LOGS.resolve(name + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }
}
