package dev.switchboard.osgi.server.internal;

import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.transport.TransportProvider;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What a configured server's component learns about transports: a transport provider it runs on
 * being taken away, and one being deployed. It runs the component's {@code check} on the
 * component's executor
 *
 * <ul>
 *   <li>when a lease it gave out ({@link #lease}) is revoked: the provider was deregistered and its
 *       code is about to go, so the server started on it is shut down (it does so itself, on the
 *       revoking thread);
 *   <li>when the registry's winner for some transport name changed: a provider was deployed (again)
 *       or left.
 * </ul>
 *
 * <p>The check itself decides what to do from the component's state; both callbacks only hand it
 * over (they come on the revoking or registering thread, which must not block). Has no OSGi type,
 * so it is tested without a framework.
 */
final class TransportWatch implements ProviderRegistry.Listener, AutoCloseable {
  private final ProviderRegistry<TransportProvider> registry;
  private final Executor executor;
  private final Runnable check;

  /**
   * @param registry the registry servers take their transport from
   * @param executor where {@code check} runs; one task at a time
   * @param check what to run when a transport changed
   */
  TransportWatch(ProviderRegistry<TransportProvider> registry, Executor executor, Runnable check) {
    this.registry = registry;
    this.executor = executor;
    this.check = check;
  }

  /** Starts listening to the registry. */
  void open() {
    registry.addListener(this);
  }

  /** Stops listening; leases given out stay with their holder. */
  @Override
  public void close() {
    registry.removeListener(this);
  }

  @Override
  public void providersChanged(Set<String> names) {
    executor.execute(check);
  }

  /**
   * Leases the winner for {@code name} now, so as to hear of its revocation: taken just before a
   * server starts on {@code name}, it is the provider the server gets when it is still the winner
   * once the server has started ({@link #isWinner}). The holder closes it when done with that
   * server; once revoked it is closed here.
   *
   * @return the lease, or null when no provider serves {@code name}
   */
  Lease<TransportProvider> lease(String name) {
    Lease<TransportProvider> lease = registry.acquire(name);
    if (lease != null) {
      lease.onRevoked(
          () -> {
            lease.close();
            executor.execute(check);
          });
    }
    return lease;
  }

  /** {@return whether {@code lease} is on the provider that wins {@code name} now} */
  boolean isWinner(Lease<TransportProvider> lease, String name) {
    ProviderRegistry.Registration<TransportProvider> winner = registry.lookupRegistration(name);
    return lease != null && winner != null && winner.provider() == lease.provider();
  }

  /** {@return whether a provider serves {@code name} now} */
  boolean deployed(String name) {
    return registry.lookup(name) != null;
  }
}
