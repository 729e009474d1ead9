package dev.switchboard.benchmarks;

import dev.switchboard.api.FlowControl;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.server.Servers;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves {@code grpc.testing.BenchmarkService} over h2c, or TLS with {@code --tls}, on one address
 * until the JVM is stopped; the counterpart of grpc-java's {@code
 * io.grpc.benchmarks.qps.AsyncServer}, whose flags it also accepts. Any {@code :authority} is
 * accepted (grpc-java's client sends {@code foo.test.google.fr}). With {@code --tls} it presents
 * the gRPC project's test certificate, as AsyncServer does (see {@link TestCerts}).
 *
 * <p>Run {@code BenchmarkServer --help} for the flags.
 */
public final class BenchmarkServer {
  /** Where service methods run. */
  enum ExecutorKind {
    /** The runtime's default: its shared ForkJoinPool, one thread per core. */
    DEFAULT,
    /** On the transport's event-loop thread (like grpc-java's {@code --directexecutor}). */
    DIRECT,
    /** A ForkJoinPool, one thread per CPU, async mode: what grpc-java's AsyncServer uses. */
    FORKJOIN,
    /**
     * A new virtual thread per task (Java 21+; looked up at run time, this module is release 17).
     */
    VIRTUAL
  }

  static final List<Flags.Spec> FLAGS =
      FlowControlFlags.with(
          Flags.Spec.value("port", null, "Port on 127.0.0.1 (or on --host); 0 picks a free one."),
          Flags.Spec.value("host", "127.0.0.1", "Host to listen on, with --port."),
          Flags.Spec.value(
              "address",
              null,
              "HOST:PORT to listen on, as grpc-java's AsyncServer takes it; instead of --port."),
          Flags.Spec.value(
              "executor",
              "default",
              "Where handlers run: default (the runtime's shared ForkJoinPool), direct (the event loop), "
                  + "forkjoin (a ForkJoinPool of its own, one thread per CPU, like grpc-java's "
                  + "AsyncServer), virtual (a virtual thread per task; Java 21+)."),
          Flags.Spec.bool("direct", "Same as --executor=direct."),
          Flags.Spec.bool("directexecutor", "Same as --executor=direct (grpc-java's spelling)."),
          Flags.Spec.value(
              "max_inbound_message_size",
              String.valueOf(4 * 1024 * 1024),
              "Largest request message accepted, bytes (4 MiB, as grpc-java's AsyncServer)."),
          TransportFlag.SPEC,
          Flags.Spec.bool(
              "tls",
              "TLS with the gRPC test certificate server1.pem (as AsyncServer --tls); clients "
                  + "trust ca.pem and send :authority foo.test.google.fr (--tls --testca)."),
          Flags.Spec.bool(
              "noop_telemetry",
              "Trace every call with a telemetry provider whose tracers do nothing (what the "
                  + "telemetry hooks cost)."));

  private BenchmarkServer() {}

  /**
   * Starts a BenchmarkService server on {@code host:port} whose handlers run on {@code executor},
   * over h2c or, when {@code tls}, TLS with the test certificate.
   *
   * @throws IOException when the address cannot be bound or the certificates cannot be read
   */
  static Server start(
      String host, int port, ExecutorKind executor, int maxInboundMessageSize, boolean tls)
      throws IOException {
    return start(host, port, executor, maxInboundMessageSize, tls, FlowControl.DEFAULT);
  }

  /**
   * Same, with the connections' HTTP/2 flow control.
   *
   * @throws IOException when the address cannot be bound or the certificates cannot be read
   */
  static Server start(
      String host,
      int port,
      ExecutorKind executor,
      int maxInboundMessageSize,
      boolean tls,
      FlowControl flowControl)
      throws IOException {
    return start(host, port, executor, maxInboundMessageSize, tls, flowControl, false);
  }

  /**
   * Same, optionally with a telemetry provider whose tracers do nothing on every call.
   *
   * @throws IOException when the address cannot be bound or the certificates cannot be read
   */
  static Server start(
      String host,
      int port,
      ExecutorKind executor,
      int maxInboundMessageSize,
      boolean tls,
      FlowControl flowControl,
      boolean noopTelemetry)
      throws IOException {
    ServerOptions.Builder options =
        ServerOptions.newBuilder()
            .flowControl(flowControl)
            .credentials(tls ? TestCerts.server() : TransportCredentials.insecure())
            .listen(host, port)
            .maxInboundMessageSize(maxInboundMessageSize)
            .addService(new BenchmarkServiceImpl().bindService());
    Executor e = executorFor(executor);
    if (e != null) {
      options.executor(e);
    }
    if (noopTelemetry) {
      options.addTelemetry(new NoopTelemetry());
    }
    return Servers.newServer(options.build()).start();
  }

  private static Executor executorFor(ExecutorKind kind) {
    switch (kind) {
      case DIRECT:
        return Runnable::run;
      case FORKJOIN:
        AtomicInteger n = new AtomicInteger();
        return new ForkJoinPool(
            Runtime.getRuntime().availableProcessors(),
            pool -> {
              ForkJoinWorkerThread t =
                  ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
              t.setDaemon(true);
              t.setName("benchmark-server-app-" + n.incrementAndGet());
              return t;
            },
            null,
            true);
      case VIRTUAL:
        return virtualThreadPerTask();
      case DEFAULT:
      default:
        return null;
    }
  }

  private static Executor virtualThreadPerTask() {
    try {
      return (Executor) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException(
          "--executor=virtual needs Java 21 or later; this is " + Runtime.version(), e);
    }
  }

  /** Starts the server and blocks until the JVM is stopped (SIGTERM / Ctrl-C). */
  public static void main(String[] args) throws Exception {
    Flags flags;
    String host;
    int port;
    ExecutorKind executor;
    int maxInbound;
    boolean tls;
    boolean noopTelemetry;
    FlowControl flowControl;
    String sockets;
    try {
      flags = Flags.parse(args, FLAGS);
      if (flags.helpRequested()) {
        System.out.print(
            Flags.parse(new String[0], FLAGS)
                .usage(
                    "benchmark-server --port=N [--executor=default|direct|forkjoin|virtual] [--direct] "
                        + "[--tls]"));
        return;
      }
      if (flags.isSet("address") == flags.isSet("port")) {
        throw new Flags.UsageException("give exactly one of --port and --address");
      }
      if (flags.isSet("address") && flags.isSet("host")) {
        throw new Flags.UsageException("--host goes with --port; --address names the host itself");
      }
      if (flags.isSet("address")) {
        String address = flags.string("address");
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
          throw new Flags.UsageException("--address is HOST:PORT, not '" + address + "'");
        }
        host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        port = parsePort(address.substring(colon + 1));
      } else {
        host = flags.string("host");
        port = flags.intValue("port", 0);
      }
      sockets = TransportFlag.apply(flags);
      if (flags.bool("direct") || flags.bool("directexecutor")) {
        executor = ExecutorKind.DIRECT;
      } else {
        executor = parseExecutor(flags.string("executor"));
      }
      maxInbound = flags.intValue("max_inbound_message_size", 0);
      tls = flags.bool("tls");
      noopTelemetry = flags.bool("noop_telemetry");
      flowControl = FlowControlFlags.parse(flags);
    } catch (Flags.UsageException e) {
      System.err.println("benchmark-server: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }

    Server server = start(host, port, executor, maxInbound, tls, flowControl, noopTelemetry);
    System.out.println(
        "QPS Server started on "
            + server.listenAddresses()
            + " (switchboard, executor="
            + executor.name().toLowerCase(java.util.Locale.ROOT)
            + ", "
            + sockets
            + (tls ? ", tls with the gRPC test certificate" : ", plaintext")
            + (noopTelemetry ? ", no-op telemetry" : "")
            + ", "
            + flowControl
            + ")");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("QPS Server shutting down");
                  server.shutdown();
                  try {
                    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                      server.shutdownNow();
                    }
                  } catch (InterruptedException e) {
                    server.shutdownNow();
                    Thread.currentThread().interrupt();
                  }
                },
                "benchmark-server-shutdown"));
    server.awaitTermination();
  }

  private static int parsePort(String s) throws Flags.UsageException {
    try {
      int port = Integer.parseInt(s);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new Flags.UsageException("bad port '" + s + "'");
    }
  }

  static ExecutorKind parseExecutor(String s) throws Flags.UsageException {
    switch (s) {
      case "default":
        return ExecutorKind.DEFAULT;
      case "direct":
        return ExecutorKind.DIRECT;
      case "forkjoin":
        return ExecutorKind.FORKJOIN;
      case "virtual":
        return ExecutorKind.VIRTUAL;
      default:
        throw new Flags.UsageException(
            "--executor is default, direct, forkjoin or virtual, not '" + s + "'");
    }
  }
}
