package dev.switchboard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/_table.sh}, which {@code compare.sh --table} uses to print the performance table:
 * rendered from fixed harness results, so that its medians of paired ratios are checked exactly.
 */
@Timeout(60)
class CompareTableTest {
  private static final Path HOME =
      Path.of(System.getProperty("benchmarks.basedir", ".")).toAbsolutePath();

  private static List<String> render(String... tsvs) throws IOException, InterruptedException {
    StringBuilder args = new StringBuilder();
    for (String tsv : tsvs) {
      args.append(" '")
          .append(HOME.resolve("src/test/resources/compare-table/" + tsv))
          .append('\'');
    }
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                "source '" + HOME.resolve("bin/_table.sh") + "' && render_table" + args)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "render_table did not end");
    assertEquals(0, p.exitValue(), out);
    return out.lines().toList();
  }

  @Test
  void ratiosAreMediansOfPerRoundPairedRatios() throws Exception {
    List<String> lines = render("server.tsv");
    // Round 1: 1500/1000 = 1.5, round 2: 2000/2000 = 1.0 -> 1.25 (not 1750/1500 = 1.17);
    // event loop: 3000/1000, 5000/2000 -> 2.75 vs default, 1.5 and 2.5 -> 2.0 vs direct.
    assertTrue(
        lines.contains(
            "| S2 unary 1×64: QPS | 1.5k | 1.8k | 1.25× | 2.0k | 4.0k | 2.75× | 2.00× |"),
        String.join("\n", lines));
    assertTrue(
        lines.contains(
            "| S2 server bytes/RPC (0-byte unary) | 6.0k | 2.4k | 0.40× | – | – | – | – |"),
        String.join("\n", lines));
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("| S1")), "no S1 results, no S1 rows");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("Medians over 2 round(s)")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARNING: other processes")));
  }

  @Test
  void clientRowsCompareOurClientWithAsyncClient() throws Exception {
    List<String> lines = render("server.tsv", "client.tsv");
    // AsyncClient -> grpc-java median 1500; ours -> ours 2400: pair ratio 2400 / 1500 = 1.60.
    assertTrue(
        lines.contains("| S2 QPS | 1.5k | 1.2k | 0.80× | 1.8k | 2.4k | 1.37× | 1.60× |"),
        String.join("\n", lines));
    assertTrue(
        lines.contains("| S2 client CPU µs/RPC | – | 10 | – | – | 12 | – | – |"),
        String.join("\n", lines));
  }
}
