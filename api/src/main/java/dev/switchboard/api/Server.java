package dev.switchboard.api;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A gRPC server: listens on its addresses and dispatches calls to services. Thread-safe.
 *
 * <p>Create with {@code dev.switchboard.server.Servers.newServer(serverOptions)}, then {@link
 * #start()}. {@link #shutdown()} is graceful (GOAWAY, in-flight calls finish, then connections
 * close); {@link #shutdownNow()} cancels in-flight calls.
 *
 * @since 0.1
 */
@ProviderType
public interface Server extends AutoCloseable {
  /**
   * Looks up the transport, binds every listen address and starts serving. Once only.
   *
   * @return this server
   * @throws java.io.IOException when an address cannot be bound; the server is then shut down
   * @throws IllegalStateException when already started or shut down, or when no transport of the
   *     configured name is deployed
   */
  Server start() throws java.io.IOException;

  /**
   * {@return the bound addresses, in the order configured, with the real ports where port 0 was
   * asked for}
   *
   * @throws IllegalStateException before {@link #start()}
   */
  List<SocketAddress> listenAddresses();

  /**
   * {@return the port of the first bound internet address, or -1 when none is one; convenient for
   * single-port servers}
   *
   * @throws IllegalStateException before {@link #start()}
   */
  int port();

  /**
   * Stops accepting connections and calls; in-flight calls run to completion, then connections
   * close (clients get a GOAWAY). Idempotent; does not block: see {@link #awaitTermination}.
   *
   * @return this server
   */
  Server shutdown();

  /**
   * Like {@link #shutdown()}, and closes every connection at once, cancelling in-flight calls.
   * Idempotent; does not block.
   *
   * @return this server
   */
  Server shutdownNow();

  /** {@return whether {@link #shutdown()} or {@link #shutdownNow()} has been called} */
  boolean isShutdown();

  /** {@return whether the server is shut down and its listener and every connection have closed} */
  boolean isTerminated();

  /**
   * Waits until the server has terminated after a shutdown.
   *
   * @param timeout the longest wait
   * @param unit the unit of {@code timeout}
   * @return true when terminated, false when the timeout elapsed first
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Blocks until terminated, such as in a {@code main} that serves until another thread (or a
   * shutdown hook) shuts the server down.
   *
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  void awaitTermination() throws InterruptedException;

  /** {@link #shutdownNow()}. */
  @Override
  default void close() {
    shutdownNow();
  }
}
