package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.SynchronizationContext.ScheduledHandle;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One resolver and the channel as that resolver sees it (grpc-go's {@code ccResolverWrapper}): its
 * reports, from any thread, are posted into the serializer and handed to the channel's {@link
 * ResolverWrapper}, which owns this instance and replaces it when the resolver's provider changes;
 * {@link #resolveNow} is forwarded. A registry provider is leased until {@link #close}.
 *
 * <p>Retries, as in grpc-go, belong to the resolver: an error it reports is passed on and nothing
 * more (the DNS resolver and the built-in static one retry with backoff themselves), so no work is
 * doubled. This class re-resolves with backoff only where no resolver can know it should: when the
 * resolver could not even be created or started (then it creates it again), and when the channel
 * asks ({@link #scheduleRetry}) because its balancer rejected an update or failed. A successful
 * update resets the backoff. Reports after {@link #close} are dropped.
 */
final class ResolverConnImpl implements ResolverConn {
  private static final System.Logger LOG = System.getLogger(ResolverConnImpl.class.getName());

  private final ResolverWrapper owner;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService timer;
  private final Backoff backoff;
  private final ResolverProvider provider;
  private final Lease<ResolverProvider> lease; // null for a built-in resolver
  private final Target target;
  private final boolean serviceConfigLookupDisabled;

  // Only touched in the serializer.
  private Resolver resolver;
  private boolean closed;
  private Status startFailure;
  private Status lastError;
  private ScheduledHandle retryTimer;

  /**
   * @param lease the registry lease on {@code provider}, released on close; null when built in
   */
  ResolverConnImpl(
      ResolverWrapper owner,
      ChannelContext ctx,
      Backoff backoff,
      ResolverProvider provider,
      Lease<ResolverProvider> lease) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.syncContext = ctx.syncContext();
    this.serviceConfigLookupDisabled = ctx.options().serviceConfigLookupDisabled();
    this.timer = ctx.env().timer();
    this.backoff = backoff;
    this.provider = Objects.requireNonNull(provider, "provider");
    this.lease = lease;
    this.target = ctx.target();
  }

  ResolverProvider provider() {
    return provider;
  }

  /** The registry lease, or null for a built-in resolver. */
  Lease<ResolverProvider> lease() {
    return lease;
  }

  /** Why the resolver could not be started, or null. Serializer only. */
  Status startFailure() {
    return startFailure;
  }

  /** The last error the resolver reported since its last result, or null. Serializer only. */
  Status lastError() {
    return lastError;
  }

  /** Creates and starts the resolver. Serializer only. */
  void start() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    try {
      resolver = Objects.requireNonNull(provider.newResolver(target, this), "newResolver");
      resolver.start();
      startFailure = null;
    } catch (RuntimeException | LinkageError e) {
      Resolver broken = resolver;
      resolver = null;
      closeQuietly(broken);
      LOG.log(System.Logger.Level.WARNING, "resolver for " + target + " failed to start", e);
      startFailure =
          Status.UNAVAILABLE
              .withDescription(
                  "resolver for scheme '" + target.scheme() + "' failed to start: " + e)
              .withCause(e);
      owner.onResolverError(startFailure);
      scheduleRetry(); // no resolver exists to retry: create it again after a backoff
    }
  }

  @Override
  public void updateState(ResolverState state) {
    Objects.requireNonNull(state, "state");
    syncContext.execute(new ResolverUpdate(state));
  }

  @Override
  public void reportError(Status error) {
    syncContext.execute(new ResolverFailure(error));
  }

  @Override
  public boolean serviceConfigLookupDisabled() {
    return serviceConfigLookupDisabled;
  }

  @Override
  public SynchronizationContext synchronizationContext() {
    return syncContext;
  }

  @Override
  public ScheduledExecutorService scheduledExecutor() {
    return timer;
  }

  /** Asks the resolver to resolve again now (creates it if it failed to start). Serializer only. */
  void resolveNow() {
    if (closed) {
      return;
    }
    if (resolver == null) {
      start();
      return;
    }
    try {
      resolver.resolveNow();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "resolver for " + target + " failed in resolveNow", e);
    }
  }

  /** Re-resolves after the next backoff delay, unless a retry is already scheduled. */
  void scheduleRetry() {
    if (closed || (retryTimer != null && retryTimer.isPending())) {
      return;
    }
    retryTimer =
        syncContext.schedule(
            new RetryResolution(), backoff.nextBackoffNanos(), TimeUnit.NANOSECONDS, timer);
  }

  /** The channel accepted an update: start the backoff over and drop a scheduled retry. */
  void resolutionAccepted() {
    backoff.reset();
    if (retryTimer != null) {
      retryTimer.cancel();
      retryTimer = null;
    }
  }

  /** Starts the backoff over; resolves now after an error or while a retry waits. */
  void resetBackoff() {
    backoff.reset();
    boolean waiting = retryTimer != null && retryTimer.isPending();
    if (waiting) {
      retryTimer.cancel();
      retryTimer = null;
    }
    if (waiting || lastError != null || startFailure != null) {
      resolveNow();
    }
  }

  boolean isRetryScheduled() {
    return retryTimer != null && retryTimer.isPending();
  }

  /** Stops the resolver and releases its provider. Idempotent. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (retryTimer != null) {
      retryTimer.cancel();
    }
    closeQuietly(resolver);
    resolver = null;
    if (lease != null) {
      lease.close();
    }
  }

  private void closeQuietly(Resolver r) {
    if (r == null) {
      return;
    }
    try {
      r.close();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "resolver for " + target + " failed to close", e);
    }
  }

  /** A resolution result, handed to the channel's resolver wrapper. */
  private final class ResolverUpdate implements Runnable {
    private final ResolverState state;

    ResolverUpdate(ResolverState state) {
      this.state = state;
    }

    @Override
    public void run() {
      if (closed) {
        return;
      }
      lastError = null;
      owner.onResolverState(state);
    }
  }

  /** A resolution error, handed to the channel's resolver wrapper; the resolver retries. */
  private final class ResolverFailure implements Runnable {
    private final Status error;

    ResolverFailure(Status error) {
      this.error =
          error == null || error.isOk()
              ? Status.UNAVAILABLE.withDescription("resolver reported an error without a status")
              : error;
    }

    @Override
    public void run() {
      if (closed) {
        return;
      }
      lastError = error;
      owner.onResolverError(error);
    }
  }

  /** The backoff elapsed: resolve again. */
  private final class RetryResolution implements Runnable {
    @Override
    public void run() {
      retryTimer = null;
      resolveNow();
    }
  }
}
