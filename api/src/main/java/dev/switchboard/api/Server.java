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
 * <p>Services can be bound and unbound on a running server, from any thread ({@link #addService},
 * {@link #replaceService}, {@link #removeService(String)}): the next call sees the change. A call
 * already started keeps the handler it started with and runs to completion; calls to a service that
 * is not bound end with {@code UNIMPLEMENTED}. Finding a call's method stays one read of an
 * immutable snapshot, so binding costs the call path nothing.
 *
 * <p>A server leases its transport provider from {@link #start()} until it has terminated. When the
 * provider leaves (in OSGi: its bundle stops), the server keeps serving at first; once the registry
 * {@linkplain dev.switchboard.api.spi.ProviderRegistry#revoke revokes} the lease (the api bundle
 * does so halfway through {@code switchboard.provider.releaseTimeout}, so that the transport's code
 * is out of use before its bundle can be refreshed) the server shuts down as by {@link
 * #shutdownNow()}: it stops listening, closes its connections and cancels their calls (clients see
 * UNAVAILABLE or CANCELLED), and {@link #isShutdown()} becomes true. It does not start again by
 * itself, not even when the transport comes back: build and start a new server. The osgi-server
 * bundle does so for a server it created from configuration: it withdraws the shut down server's
 * service, and starts and publishes a new one once a transport of the configured name is deployed
 * again.
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

  /**
   * Registers an action to run once when the server starts shutting down: on the thread that first
   * calls {@link #shutdown()} or {@link #shutdownNow()}, before the server stops taking calls (and
   * before it sends GOAWAY), so that the action can still tell clients on open calls, as a health
   * service does with {@code NOT_SERVING}. Actions run in the order registered; one that throws is
   * logged and the others still run. Registered after the shutdown began, the action runs at once
   * on the calling thread. The action must not block.
   *
   * @param action what to run, not null
   * @return this server
   * @since 0.3
   */
  Server onShutdown(Runnable action);

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

  /**
   * Binds a service, in addition to those bound already; calls started from now on reach it,
   * through the server's interceptors. Allowed in any state, before {@link #start()} and after
   * {@link #shutdown()} too. When the server has started, a codec some method needs and none is
   * deployed is logged as a WARNING, as at start.
   *
   * @param service the service, not null
   * @return this server
   * @throws IllegalArgumentException when a service of the same name is bound; see {@link
   *     #replaceService}
   * @since 0.3
   */
  Server addService(ServiceDefinition service);

  /**
   * Binds a service in place of the one of the same name, if any: calls started from now on reach
   * the new one; calls already started on the old one run to completion with it.
   *
   * @param service the service, not null
   * @return the service it replaced, or {@code null} when none of that name was bound
   * @since 0.3
   */
  ServiceDefinition replaceService(ServiceDefinition service);

  /**
   * Unbinds the service of this name: calls started from now on end with {@code UNIMPLEMENTED}
   * ({@code unknown service <name>}); calls already started on it run to completion. Idempotent.
   *
   * @param serviceName the fully qualified service name, such as {@code helloworld.Greeter}
   * @return the service that was bound, or {@code null} when none of that name was
   * @since 0.3
   */
  ServiceDefinition removeService(String serviceName);

  /**
   * Unbinds {@code service} if this very instance is bound, and leaves a different service of the
   * same name in place: who bound a service can take back its own without removing a replacement.
   * Otherwise as {@link #removeService(String)}.
   *
   * @param service the service instance passed to {@link #addService} or {@link #replaceService}
   * @return true when it was bound and is now removed
   * @since 0.3
   */
  boolean removeService(ServiceDefinition service);

  /**
   * {@return the services bound now, as an immutable snapshot: those of the options first, then in
   * the order added (a replacement takes the place of the service it replaced)}
   *
   * @since 0.3
   */
  List<ServiceDefinition> services();

  /** {@link #shutdownNow()}. */
  @Override
  default void close() {
    shutdownNow();
  }
}
