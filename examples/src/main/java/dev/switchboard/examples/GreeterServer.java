package dev.switchboard.examples;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.server.Servers;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Greeter server until the JVM is stopped.
 *
 * <p>Usage: {@code GreeterServer [port [host]]}, default {@code 50051 127.0.0.1}; port 0 picks a
 * free port. Ctrl-C shuts down gracefully, letting in-flight calls finish for up to 5 seconds.
 *
 * @since 0.1
 */
public final class GreeterServer {
  private GreeterServer() {}

  /**
   * Starts a Greeter server on {@code host:port} whose replies carry {@code backend}.
   *
   * @throws IOException when the address cannot be bound
   * @since 0.1
   */
  public static Server start(String host, int port, String backend) throws IOException {
    ServerOptions options =
        ServerOptions.newBuilder()
            .insecure()
            .listen(host, port)
            .addService(new GreeterService(backend).bindService())
            .build();
    return Servers.newServer(options).start();
  }

  /**
   * Starts the server and blocks until it terminates.
   *
   * @since 0.1
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    Server server = start(host, port, "greeter");
    System.out.println("Greeter listening on " + server.listenAddresses() + "; Ctrl-C to stop");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Shutting down the Greeter");
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
                "greeter-shutdown"));
    server.awaitTermination();
  }
}
