package dev.switchboard.api.spi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One registration's life in a {@link ProviderRegistry}, from register to release: the leases open
 * on it and the {@code onReleased} callback that runs once it is deregistered and the last lease is
 * closed. Lease bookkeeping is lock-free: {@code state} holds the number of open leases, plus
 * {@code DEREGISTERED} once deregistered.
 */
final class RegistrationEntry<P> {
  static final int DEREGISTERED = Integer.MIN_VALUE;
  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  // Replaced under the registry lock (ranking updates); read anywhere.
  volatile ProviderRegistry.Registration<P> registration;
  final Runnable onReleased;
  final AtomicInteger state = new AtomicInteger();
  final AtomicBoolean released = new AtomicBoolean();

  /** Open leases with a revocation action (only long-lived holders set one). */
  private final Set<ProviderRegistry.Lease<P>> revocable = ConcurrentHashMap.newKeySet();

  private volatile boolean revoked;

  /** The registry's deregistered entries, set at deregistration; this leaves it once released. */
  private volatile Set<RegistrationEntry<P>> departing;

  RegistrationEntry(ProviderRegistry.Registration<P> registration, Runnable onReleased) {
    this.registration = registration;
    this.onReleased = onReleased;
  }

  boolean tryAcquire() {
    while (true) {
      int s = state.get();
      if (s < 0) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  void release() {
    if (state.decrementAndGet() == DEREGISTERED) {
      runOnReleased();
    }
  }

  /**
   * Marks deregistered; runs the callback when no lease is open, else stays in {@code departing}
   * (for {@link ProviderRegistry#revoke}) until the last lease closes. Outside the lock.
   */
  void deregistered(Set<RegistrationEntry<P>> departing) {
    this.departing = departing;
    departing.add(this);
    if (state.getAndUpdate(s -> s | DEREGISTERED) == 0) {
      runOnReleased();
    }
  }

  /** A lease with a revocation action: {@link #revoke} asks it. */
  void track(ProviderRegistry.Lease<P> lease) {
    revocable.add(lease);
  }

  void untrack(ProviderRegistry.Lease<P> lease) {
    revocable.remove(lease);
  }

  boolean isRevoked() {
    return revoked;
  }

  /** Marks revoked, then revokes every tracked lease; returns how many were tracked. */
  int revoke() {
    revoked = true; // before reading the set: a lease tracked after this sees it and revokes itself
    int n = 0;
    for (ProviderRegistry.Lease<P> lease : revocable) {
      if (revocable.remove(lease)) {
        n++;
        LeaseRevocation.revoke(lease);
      }
    }
    return n;
  }

  /**
   * Runs the {@code onReleased} of a provider the registry refused (may be null); returns false.
   */
  static boolean refused(Runnable onReleased) {
    if (onReleased != null) {
      try {
        onReleased.run();
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "onReleased of a refused provider failed", e);
      }
    }
    return false;
  }

  void runOnReleased() {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    Set<RegistrationEntry<P>> d = departing;
    if (d != null) {
      d.remove(this);
    }
    revocable.clear();
    if (onReleased == null) {
      return;
    }
    try {
      onReleased.run();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "onReleased of " + registration.name() + " from " + registration.origin() + " failed",
          e);
    }
  }
}
