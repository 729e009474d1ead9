package dev.switchboard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.transport.TransportProvider;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.benchmarks.proto.BenchmarkServiceSwitchboard;
import dev.switchboard.benchmarks.proto.Messages.SimpleRequest;
import dev.switchboard.benchmarks.proto.Messages.SimpleResponse;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import dev.switchboard.testing.UncaughtErrorsExtension;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bytes allocated per unary RPC (empty request and response) by our server and by our client,
 * against the budget in {@code benchmarks/allocation-budget.properties}. Counted, not timed: the
 * JVM's per-thread allocation counters do not depend on the machine's load, so the check cannot
 * flake on a shared machine.
 *
 * <p>Server and client run in this JVM over 127.0.0.1, each on its own transport provider instance
 * (so on its own Netty event loop group); a thread belongs to a side by its name: the server's
 * handler pool and timer ({@code switchboard-server-*}) and event loops, and the client's executor,
 * timer ({@code switchboard-executor-*}, {@code switchboard-callbacks-*}, {@code
 * switchboard-timer-*}) and event loops, plus the calling thread (a blocking stub runs the call's
 * callbacks there). Calls are sequential. After {@value #WARMUP_CALLS} calls (JIT), each of {@value
 * #WINDOWS} windows of {@value #WINDOW_CALLS} calls gives bytes/RPC per side; the minimum over the
 * windows is compared.
 *
 * <p>Run by its own surefire execution with Netty's leak detector disabled (PARANOID tracking
 * allocates on every buffer) and without the auto-detected leak extension, which would set it back
 * to PARANOID; elsewhere it is skipped.
 */
@Timeout(300)
@ExtendWith(UncaughtErrorsExtension.class)
class AllocationBudgetTest {
  static final int WARMUP_CALLS = 20_000;
  static final int WINDOW_CALLS = 3_000;
  static final int WINDOWS = 3;

  /** Windows tried at most to get {@link #WINDOWS} in which no thread died. */
  private static final int MAX_TRIES = 10;

  private static final String BUDGET_FILE = "allocation-budget.properties";
  private static final String ENFORCE = "switchboard.allocationBudget.enforce";
  private static final String NETTY_THREADS = "switchboard-netty-";
  private static final String CALLING_THREAD = "(calling thread)";
  private static final SimpleRequest REQUEST = SimpleRequest.getDefaultInstance();

  @Test
  void unaryCallStaysWithinTheAllocationBudget() throws Exception {
    boolean enforce = Boolean.getBoolean(ENFORCE);
    boolean leakDetectionOff =
        ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED;
    if (enforce) {
      assertTrue(
          leakDetectionOff, "Netty's leak detector must be disabled: its tracking allocates");
    }
    assumeTrue(
        leakDetectionOff,
        "run by benchmarks' allocation-budget surefire execution (leak detector disabled)");
    ThreadAllocations.requireSupported();
    Budget budget = Budget.load();

    Set<String> before = ThreadAllocations.threadNames();
    Server server =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .transportRegistry(isolatedTransports())
                    .addService(new BenchmarkServiceImpl().bindService())
                    .build())
            .start();
    try {
      String serverLoops = newNettyPool(before, Set.of());
      ClientConn conn =
          ClientConns.newClient(
              "127.0.0.1:" + server.port(),
              DialOptions.newBuilder()
                  .insecure()
                  .transportRegistry(isolatedTransports())
                  .block(Duration.ofSeconds(10))
                  .build());
      try {
        String clientLoops = newNettyPool(before, Set.of(serverLoops));
        Sides sides = new Sides(serverLoops, clientLoops);
        measure(BenchmarkServiceSwitchboard.newBlockingStub(conn), sides, budget);
      } finally {
        conn.close();
        conn.awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void measure(
      BenchmarkServiceSwitchboard.BenchmarkServiceBlockingStub stub, Sides sides, Budget budget) {
    for (int i = 0; i < WARMUP_CALLS; i++) {
      call(stub);
    }
    sides.requireKnown(ThreadAllocations.threadNames());

    List<long[]> windows = new ArrayList<>(); // {server, client, other} bytes per window
    List<String> discarded = new ArrayList<>();
    TreeMap<String, Long> lastByThread = new TreeMap<>();
    for (int tries = 0; windows.size() < WINDOWS; tries++) {
      if (tries == MAX_TRIES) {
        fail("threads kept dying during the windows, no counts: " + discarded);
      }
      ThreadAllocations.Snapshot start = ThreadAllocations.snapshot();
      long selfStart = ThreadAllocations.currentThreadBytes();
      for (int i = 0; i < WINDOW_CALLS; i++) {
        call(stub);
      }
      long self = ThreadAllocations.currentThreadBytes() - selfStart;
      ThreadAllocations.Window w = ThreadAllocations.between(start, ThreadAllocations.snapshot());
      if (!w.complete()) {
        discarded.add("threads died: " + w.died());
        continue;
      }
      windows.add(
          new long[] {
            w.bytes(sides::server), self + w.bytes(sides::client), w.bytes(sides::other)
          });
      lastByThread.clear();
      lastByThread.put(CALLING_THREAD, self);
      w.bytesByThread().forEach((name, bytes) -> lastByThread.merge(name, bytes, Long::sum));
    }

    long server = perRpcMin(windows, 0);
    long client = perRpcMin(windows, 1);
    System.out.printf(
        Locale.ROOT,
        "AllocationBudgetTest: unary, 0-byte request and response, %d sequential calls of warm-up,"
            + " min over %d windows of %d calls%n"
            + "  server: %d bytes/RPC (windows %s; budget %d)%n"
            + "  client: %d bytes/RPC (windows %s; budget %d)%n"
            + "  other threads (JVM, test harness; not budgeted): %d bytes/RPC%n",
        WARMUP_CALLS,
        WINDOWS,
        WINDOW_CALLS,
        server,
        perRpc(windows, 0),
        budget.server,
        client,
        perRpc(windows, 1),
        budget.client,
        perRpcMin(windows, 2));
    System.out.println("  last window by thread, bytes/RPC:");
    for (String side : List.of("server", "client", "other")) {
      StringBuilder line = new StringBuilder();
      lastByThread.forEach(
          (name, bytes) -> {
            if (sides.sideOf(name).equals(side) && bytes >= WINDOW_CALLS) {
              line.append(' ').append(name).append('=').append(bytes / WINDOW_CALLS);
            }
          });
      if (line.length() > 0) {
        System.out.println("    " + side + ':' + line);
      }
    }
    if (!discarded.isEmpty()) {
      System.out.println("  windows discarded: " + discarded);
    }
    List<String> over = new ArrayList<>();
    budget.check("server", server, budget.server, over);
    budget.check("client", client, budget.client, over);
    if (!over.isEmpty()) {
      fail(String.join("\n", over));
    }
  }

  private static void call(BenchmarkServiceSwitchboard.BenchmarkServiceBlockingStub stub) {
    SimpleResponse response = stub.unaryCall(REQUEST);
    if (response.hasPayload()) {
      throw new AssertionError("expected the empty response, got " + response);
    }
  }

  private static long perRpcMin(List<long[]> windows, int side) {
    long min = Long.MAX_VALUE;
    for (long[] w : windows) {
      min = Math.min(min, w[side]);
    }
    return Math.round((double) min / WINDOW_CALLS);
  }

  private static List<Long> perRpc(List<long[]> windows, int side) {
    List<Long> values = new ArrayList<>();
    for (long[] w : windows) {
      values.add(Math.round((double) w[side] / WINDOW_CALLS));
    }
    return values;
  }

  /**
   * A registry with fresh transport provider instances: each instance owns its event loop group, so
   * the server's and the client's threads are distinct.
   */
  private static TransportRegistry isolatedTransports() {
    TransportRegistry registry = new TransportRegistry();
    for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
      registry.register(p);
    }
    return registry;
  }

  /**
   * The name prefix ({@code switchboard-netty-<pool>-}) of the one Netty thread pool that started
   * since {@code before}, leaving out {@code known} pools. Netty names a group's threads {@code
   * <prefix>-<pool id>-<thread>}.
   */
  private static String newNettyPool(Set<String> before, Set<String> known) {
    Set<String> pools = new HashSet<>();
    for (String name : ThreadAllocations.threadNames()) {
      if (name.startsWith(NETTY_THREADS) && !before.contains(name)) {
        String pool = name.substring(0, name.lastIndexOf('-') + 1);
        if (!known.contains(pool)) {
          pools.add(pool);
        }
      }
    }
    assertEquals(1, pools.size(), () -> "expected one new event loop group, got " + pools);
    return pools.iterator().next();
  }

  /** Which side a thread, by its name, belongs to. */
  private record Sides(String serverLoops, String clientLoops) {
    boolean server(String thread) {
      return thread.startsWith("switchboard-server-") || thread.startsWith(serverLoops);
    }

    boolean client(String thread) {
      return thread.startsWith("switchboard-executor-")
          || thread.startsWith("switchboard-callbacks-")
          || thread.startsWith("switchboard-timer-")
          || thread.startsWith(clientLoops);
    }

    boolean other(String thread) {
      return !server(thread) && !client(thread);
    }

    String sideOf(String thread) {
      return server(thread)
          ? "server"
          : client(thread) || thread.equals(CALLING_THREAD) ? "client" : "other";
    }

    /** Fails on a runtime thread of neither side: a new kind of thread this test must learn. */
    void requireKnown(Set<String> threads) {
      Predicate<String> unknown = t -> t.startsWith("switchboard-") && other(t);
      List<String> names = threads.stream().filter(unknown).sorted().toList();
      assertTrue(names.isEmpty(), () -> "threads of neither side: " + names);
    }
  }

  /** The committed budget, bytes per RPC. */
  private record Budget(long server, long client, Path file) {
    static Budget load() throws IOException {
      Path file =
          Path.of(System.getProperty("benchmarks.basedir", "."), BUDGET_FILE).toAbsolutePath();
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      return new Budget(
          read(p, "server.bytesPerRpc", file), read(p, "client.bytesPerRpc", file), file);
    }

    private static long read(Properties p, String key, Path file) {
      String value = p.getProperty(key);
      if (value == null) {
        throw new IllegalStateException(key + " missing in " + file);
      }
      return Long.parseLong(value.trim());
    }

    void check(String side, long measured, long limit, List<String> over) {
      if (measured > limit) {
        over.add(
            String.format(
                Locale.ROOT,
                "%s allocates %d bytes/RPC, over its budget of %d. Find what allocates more (JFR's"
                    + " ObjectAllocationSample events, or async-profiler -e alloc), or, if the"
                    + " increase is intended, set %s.bytesPerRpc=%d (measured x 1.25) in %s and"
                    + " say why in the commit.",
                side,
                measured,
                limit,
                side,
                Math.round(measured * 1.25),
                file));
      } else if (measured * 10 < limit * 7) {
        System.out.printf(
            Locale.ROOT,
            "  %s is at %d bytes/RPC, well under its budget of %d: lower %s.bytesPerRpc to %d in"
                + " %s%n",
            side,
            measured,
            limit,
            side,
            Math.round(measured * 1.25),
            file);
      }
    }
  }
}
