package dev.switchboard.api;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server: listens on its addresses and dispatches calls to services. Thread-safe.
 *
 * <p>Create with {@code dev.switchboard.server.Servers.newServer(serverOptions)}, then {@link
 * #start()}. {@link #shutdown()} is graceful (GOAWAY, in-flight calls finish, then connections
 * close); {@link #shutdownNow()} cancels in-flight calls.
 *
 * @since 0.1
 */
public interface Server extends AutoCloseable {
  /** Binds and starts serving. */
  Server start() throws java.io.IOException;

  /** The bound addresses (with real ports when port 0 was asked for). */
  List<SocketAddress> listenAddresses();

  /** The first bound port; convenient for single-port servers. */
  int port();

  /** Stops accepting connections and calls; in-flight calls run to completion. */
  Server shutdown();

  /** Like {@link #shutdown()}, and cancels in-flight calls. */
  Server shutdownNow();

  boolean isShutdown();

  boolean isTerminated();

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

  /** Blocks until terminated. */
  void awaitTermination() throws InterruptedException;

  /** {@link #shutdownNow()}. */
  @Override
  default void close() {
    shutdownNow();
  }
}
