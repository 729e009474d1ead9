package dev.switchboard.interop;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.server.Servers;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The interop test server: serves {@code grpc.testing.TestService} (and ORCA's {@code
 * OpenRcaService}, for orca_oob) in plaintext (h2c with prior knowledge) on {@code 127.0.0.1:PORT}
 * until the process gets SIGTERM, then shuts down gracefully (in-flight calls get {@value
 * #GRACE_SECONDS} s to finish).
 *
 * <pre>
 * java -jar interop-server.jar --port=N [--use_tls=true|false]
 * </pre>
 *
 * <p>Flags are those of grpc-java's {@code TestServiceServer}: {@code --port} (0 picks a free port;
 * the bound one is printed) and {@code --use_tls} (TLS with the gRPC project's test certificate
 * {@code server1.pem}, as grpc-java's server uses; see {@link TestCerts}). Prints {@code Server
 * started on port N} once listening. Exit status 2 on a usage error.
 */
public final class InteropServer {
  /** Like grpc-java's interop server: requests up to 16 MiB (very_large_request sends 10 MiB). */
  static final int MAX_INBOUND_MESSAGE_SIZE = 16 * 1024 * 1024;

  static final int GRACE_SECONDS = 5;
  private static final Set<String> FLAGS =
      Set.of("port", "use_tls", "address_type", "grpc_version");

  private final Server server;
  private final ScheduledExecutorService timer;

  private InteropServer(Server server, ScheduledExecutorService timer) {
    this.server = server;
    this.timer = timer;
  }

  /**
   * Starts a server on {@code host:port} (port 0 picks one).
   *
   * @throws IOException when it cannot listen
   */
  static InteropServer start(String host, int port) throws IOException {
    return start(host, port, TransportCredentials.insecure());
  }

  /** Starts the server on {@code host:port} with {@code credentials} (TLS or insecure). */
  static InteropServer start(String host, int port, TransportCredentials credentials)
      throws IOException {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread t = new Thread(runnable, "interop-server-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    String serverId = "switchboard-interop-" + UUID.randomUUID();
    OrcaReports orca = new OrcaReports();
    Server server =
        Servers.newServer(
            ServerOptions.newBuilder()
                .credentials(credentials)
                .listen(new InetSocketAddress(host, port))
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
                .addService(new InteropTestService(timer, serverId, orca).bindService())
                .addService(new OpenRcaService(orca, timer).bindService())
                // The first added sees each call first and wraps the call the later ones may close,
                // so
                // echoed trailers and load reports go out whichever way the call ends.
                .intercept(
                    new EchoMetadataInterceptor(),
                    new OrcaPerCallInterceptor(),
                    new ExpectCompressedInterceptor())
                .build());
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      timer.shutdownNow();
      throw e;
    }
    return new InteropServer(server, timer);
  }

  int port() {
    return server.port();
  }

  /** Stops taking calls, lets in-flight ones finish for up to {@code grace}, then cancels them. */
  void shutdown(long grace, TimeUnit unit) throws InterruptedException {
    server.shutdown();
    try {
      if (!server.awaitTermination(grace, unit)) {
        server.shutdownNow();
        server.awaitTermination(grace, unit);
      }
    } finally {
      timer.shutdownNow();
    }
  }

  void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the server until shutdown; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    int port;
    boolean useTls;
    try {
      Flags flags = Flags.parse(args, FLAGS);
      if (!flags.has("port")) {
        throw new Flags.UsageException("--port is required");
      }
      port = flags.integer("port", -1);
      if (port < 0 || port > 65535) {
        throw new Flags.UsageException("--port must be 0..65535");
      }
      useTls = flags.bool("use_tls", false);
      String grpcVersion = flags.string("grpc_version", "2");
      if (!grpcVersion.equals("2")) {
        throw new Flags.UsageException("only --grpc_version=2 is supported");
      }
      // --address_type (grpc-java's IPV4/IPV6/IPV4_IPV6) is accepted and ignored: we listen on
      // 127.0.0.1 only.
    } catch (Flags.UsageException e) {
      boolean help = e.getMessage().isEmpty();
      PrintStream to = help ? out : err;
      if (!help) {
        err.println("error: " + e.getMessage());
      }
      to.println("usage: interop-server --port=N [--use_tls=true|false]");
      to.println(
          "  Serves grpc.testing.TestService on 127.0.0.1:N (0 = any free port) until SIGTERM.");
      return help ? 0 : 2;
    }

    InteropServer server;
    try {
      server =
          start("127.0.0.1", port, useTls ? TestCerts.server() : TransportCredentials.insecure());
    } catch (IOException e) {
      err.println("error: cannot listen on 127.0.0.1:" + port + ": " + e);
      return 1;
    }
    Thread hook =
        new Thread(
            () -> {
              out.println("Shutting down");
              out.flush();
              try {
                server.shutdown(GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "interop-server-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("Server started on port " + server.port());
    out.flush();
    server.awaitTermination();
    return 0;
  }
}
