package dev.switchboard.api.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * How a {@link ProviderRegistry.Lease}'s holder is asked to let go: the lease's {@code revocation}
 * field goes from null to the holder's action (set once, {@link ProviderRegistry.Lease#onRevoked})
 * to {@link #REVOKED} (the registry revoked it), through a {@link VarHandle} so that a lease costs
 * no extra object (codecs are leased per call). None of this is on the acquire/close path.
 */
final class LeaseRevocation {
  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  /** A lease's {@code revocation} once revoked. */
  static final Runnable REVOKED = () -> {};

  private static final VarHandle REVOCATION;

  static {
    try {
      REVOCATION =
          MethodHandles.lookup()
              .findVarHandle(ProviderRegistry.Lease.class, "revocation", Runnable.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private LeaseRevocation() {}

  /** {@link ProviderRegistry.Lease#onRevoked}'s work: see there. */
  static <P> void onRevoked(
      ProviderRegistry.Lease<P> lease, RegistrationEntry<P> entry, Runnable action) {
    Objects.requireNonNull(action, "action");
    if (lease.isClosed()) {
      return;
    }
    if (!REVOCATION.compareAndSet(lease, null, action)) {
      if (lease.revocation != REVOKED) {
        throw new IllegalStateException("revocation action already set on " + lease);
      }
      runAction(lease, action);
      return;
    }
    entry.track(lease);
    if (lease.isClosed()) {
      entry.untrack(lease); // closed meanwhile, perhaps before it was tracked
    } else if (entry.isRevoked()) {
      revoke(lease); // revoked while this was being tracked: the revoker may not have seen it
    }
  }

  /** Runs the holder's action of {@code lease}, once, unless closed. */
  static void revoke(ProviderRegistry.Lease<?> lease) {
    Runnable action = (Runnable) REVOCATION.getAndSet(lease, REVOKED);
    if (action != null && action != REVOKED && !lease.isClosed()) {
      runAction(lease, action);
    }
  }

  private static void runAction(ProviderRegistry.Lease<?> lease, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "revocation action of " + lease + " failed", e);
    }
  }
}
