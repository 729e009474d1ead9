package dev.switchboard.api.spi;

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

  /** Marks deregistered; runs the callback when no lease is open. Outside the lock. */
  void deregistered() {
    if (state.getAndUpdate(s -> s | DEREGISTERED) == 0) {
      runOnReleased();
    }
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
    if (onReleased == null || !released.compareAndSet(false, true)) {
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
