package dev.switchboard.interop;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.clientconn.ClientConns;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The interop test client: runs interop test cases against a server, in plaintext (h2c with prior
 * knowledge) or over TLS, and reports {@code PASS <case>} or {@code FAIL <case>: <reason>} for
 * each.
 *
 * <pre>
 * java -jar interop-client.jar --server_host=127.0.0.1 --server_port=N --test_case=large_unary
 * </pre>
 *
 * <p>Flags are those of grpc-java's {@code TestServiceClient}: {@code --server_host} (default
 * localhost), {@code --server_port} (required), {@code --test_case} (one name; also a
 * comma-separated list, or {@code all}), {@code --use_tls}, {@code --use_test_ca} (trust only the
 * gRPC project's test CA, see {@link TestCerts}), {@code --server_host_override} (the name the
 * server's certificate is checked against), {@code --service_config_json} (the channel's default
 * service config, as grpc-java's client takes it), {@code --num_times}, and the soak flags {@code
 * --soak_iterations}, {@code --soak_max_failures}, {@code
 * --soak_per_iteration_max_acceptable_latency_ms}, {@code --soak_min_time_ms_between_rpcs}, {@code
 * --soak_overall_timeout_seconds}, {@code --soak_request_size}, {@code --soak_response_size},
 * {@code --soak_num_threads}.
 *
 * <p>Exit status: 0 when every case passed, 1 when one failed, 2 on a usage error. With more than
 * one case, the last line is {@code N passed, M failed}.
 */
public final class InteropClient {
  private static final Set<String> FLAGS =
      Set.of(
          "server_host",
          "server_port",
          "test_case",
          "use_tls",
          "use_test_ca",
          "server_host_override",
          "service_config_json",
          "num_times",
          "soak_iterations",
          "soak_max_failures",
          "soak_per_iteration_max_acceptable_latency_ms",
          "soak_min_time_ms_between_rpcs",
          "soak_overall_timeout_seconds",
          "soak_request_size",
          "soak_response_size",
          "soak_num_threads");

  private InteropClient() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the cases {@code args} ask for; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String target;
    int port;
    String serviceConfig;
    boolean useTls;
    boolean useTestCa;
    String hostOverride;
    List<TestCase> cases;
    int times;
    InteropTests.SoakConfig soak;
    try {
      Flags flags = Flags.parse(args, FLAGS);
      String host = flags.string("server_host", "localhost");
      if (!flags.has("server_port")) {
        throw new Flags.UsageException("--server_port is required");
      }
      port = flags.integer("server_port", 0);
      if (port < 1 || port > 65535) {
        throw new Flags.UsageException("--server_port must be 1..65535");
      }
      useTls = flags.bool("use_tls", false);
      useTestCa = flags.bool("use_test_ca", false);
      hostOverride =
          flags.has("server_host_override") ? flags.string("server_host_override", null) : null;
      serviceConfig =
          flags.has("service_config_json") ? flags.string("service_config_json", null) : null;
      target =
          (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
      cases = parseCases(flags.string("test_case", "empty_unary"));
      times = flags.integer("num_times", 1);
      if (times < 1) {
        throw new Flags.UsageException("--num_times must be at least 1");
      }
      InteropTests.SoakConfig d = InteropTests.SoakConfig.defaults();
      int iterations = flags.integer("soak_iterations", d.iterations());
      int latency =
          flags.integer("soak_per_iteration_max_acceptable_latency_ms", d.maxAcceptableLatencyMs());
      soak =
          new InteropTests.SoakConfig(
              iterations,
              flags.integer("soak_max_failures", d.maxFailures()),
              latency,
              flags.integer("soak_min_time_ms_between_rpcs", d.minTimeMsBetweenRpcs()),
              // grpc-java's default: enough time for every iteration to take the maximum latency.
              flags.integer(
                  "soak_overall_timeout_seconds",
                  (int) Math.max(d.overallTimeoutSeconds(), (long) iterations * latency / 1000)),
              flags.integer("soak_request_size", d.requestSize()),
              flags.integer("soak_response_size", d.responseSize()),
              flags.integer("soak_num_threads", d.threads()));
      if (soak.threads() < 1 || soak.iterations() % soak.threads() != 0) {
        throw new Flags.UsageException(
            "--soak_iterations must be a positive multiple of --soak_num_threads");
      }
    } catch (Flags.UsageException e) {
      boolean help = e.getMessage().isEmpty();
      if (!help) {
        err.println("error: " + e.getMessage());
      }
      usage(help ? out : err);
      return help ? 0 : 2;
    }

    DialOptions dial;
    try {
      dial =
          security(
                  DialOptions.newBuilder().defaultServiceConfig(serviceConfig),
                  useTls,
                  useTestCa,
                  hostOverride,
                  port)
              .build();
      open(target, dial).close(); // an invalid --service_config_json fails here, naming the problem
    } catch (IllegalArgumentException e) {
      err.println("error: --service_config_json: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("error: --use_tls: " + e.getMessage());
      return 2;
    }
    InteropTests tests = new InteropTests(() -> open(target, dial), soak);
    int passed = 0;
    int failed = 0;
    for (TestCase c : cases) {
      String failure = null;
      for (int i = 0; i < times && failure == null; i++) {
        failure = runOne(tests, c);
      }
      if (failure == null) {
        out.println("PASS " + c.flagName());
        passed++;
      } else {
        out.println("FAIL " + c.flagName() + ": " + failure);
        failed++;
      }
      out.flush();
    }
    if (cases.size() > 1) {
      out.println(passed + " passed, " + failed + " failed");
    }
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  /**
   * Sets the channel's transport security as grpc-java's client flags choose it: plaintext, or TLS
   * ({@code --use_tls}) trusting only the gRPC test CA ({@code --use_test_ca}) or else the
   * platform's roots, with the server's certificate checked against {@code hostOverride} ({@code
   * --server_host_override}, sent as the authority) when given, else against the target's host.
   *
   * @throws IOException when the test CA cannot be read
   */
  static DialOptions.Builder security(
      DialOptions.Builder b, boolean useTls, boolean useTestCa, String hostOverride, int port)
      throws IOException {
    if (!useTls) {
      return b.insecure();
    }
    b.credentials(TestCerts.client(useTestCa));
    if (hostOverride != null) {
      b.authority(hostOverride + ":" + port);
    }
    return b;
  }

  private static ClientConn open(String target, DialOptions dial) {
    return ClientConns.newClient(target, dial);
  }

  /** Runs one case; returns why it failed, or {@code null}. */
  private static String runOne(InteropTests tests, TestCase c) {
    try {
      tests.run(c);
      return null;
    } catch (AssertionError e) {
      return oneLine(e.getMessage());
    } catch (StatusRuntimeException e) {
      Status s = e.getStatus();
      return oneLine(
          "call failed with "
              + s.getCode()
              + (s.getDescription() != null ? ": " + s.getDescription() : "")
              + (s.getCause() != null ? " (" + s.getCause() + ")" : ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception | Error e) {
      return oneLine(e.toString());
    }
  }

  private static String oneLine(String s) {
    return s == null ? "(no message)" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  private static List<TestCase> parseCases(String spec) throws Flags.UsageException {
    if (spec.equals("all")) {
      return List.of(TestCase.values());
    }
    Set<TestCase> cases = new LinkedHashSet<>();
    for (String name : spec.split(",")) {
      TestCase c = TestCase.fromFlagName(name.trim());
      if (c == null) {
        throw new Flags.UsageException("unknown or unsupported test case '" + name.trim() + "'");
      }
      cases.add(c);
    }
    if (cases.isEmpty()) {
      throw new Flags.UsageException("--test_case is empty");
    }
    return new ArrayList<>(cases);
  }

  private static void usage(PrintStream err) {
    err.println(
        "usage: interop-client --server_host=HOST --server_port=PORT --test_case=CASE[,CASE...]|all");
    err.println(
        "         [--use_tls=true|false] [--use_test_ca=true|false] [--server_host_override=HOST]"
            + " [--num_times=N]");
    err.println("         [--service_config_json=JSON (the channel's default service config)]");
    err.println(
        "         [--soak_iterations=N] [--soak_max_failures=N]"
            + " [--soak_per_iteration_max_acceptable_latency_ms=MS]");
    err.println("         [--soak_min_time_ms_between_rpcs=MS] [--soak_overall_timeout_seconds=S]");
    err.println(
        "         [--soak_request_size=BYTES] [--soak_response_size=BYTES] [--soak_num_threads=N]");
    err.println("test cases:");
    for (TestCase c : TestCase.values()) {
      err.println("  " + c.flagName() + ": " + c.description());
    }
  }
}
