package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.SynchronizationContext.ScheduledHandle;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The channel as its resolver sees it (grpc-go's {@code ccResolverWrapper}): resolver reports,
 * from any thread, are posted into the serializer and handed to the channel; {@link #resolveNow}
 * is forwarded. It also owns re-resolution with backoff: after an error while no address was ever
 * resolved, and whenever the channel asks ({@link #scheduleRetry}) because the balancer rejected
 * an update or failed. A successful update resets the backoff. Reports after {@link #close} are
 * dropped.
 */
final class ResolverWrapper implements ResolverConn {
  private static final System.Logger LOG = System.getLogger(ResolverWrapper.class.getName());

  /** Where resolver results go; called in the serializer. */
  interface Host {
    void onResolverState(ResolverState state);

    void onResolverError(Status error);
  }

  private final Host host;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService timer;
  private final Backoff backoff;
  private final ResolverProvider provider;
  private final Target target;

  // Only touched in the serializer.
  private Resolver resolver;
  private boolean closed;
  private boolean everResolved;
  private ScheduledHandle retryTimer;

  ResolverWrapper(Host host, SynchronizationContext syncContext, ScheduledExecutorService timer,
      Backoff backoff, ResolverProvider provider, Target target) {
    this.host = Objects.requireNonNull(host, "host");
    this.syncContext = syncContext;
    this.timer = timer;
    this.backoff = backoff;
    this.provider = provider;
    this.target = target;
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
    } catch (RuntimeException e) {
      resolver = null;
      LOG.log(System.Logger.Level.WARNING, "resolver for " + target + " failed to start", e);
      host.onResolverError(Status.UNAVAILABLE.withDescription("resolver for scheme '"
          + target.scheme() + "' failed to start: " + e).withCause(e));
      scheduleRetry();
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
  public SynchronizationContext synchronizationContext() {
    return syncContext;
  }

  @Override
  public ScheduledExecutorService scheduledExecutor() {
    return timer;
  }

  /** Asks the resolver to resolve again now. Serializer only. */
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
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "resolver for " + target + " failed in resolveNow", e);
    }
  }

  /** Re-resolves after the next backoff delay, unless a retry is already scheduled. */
  void scheduleRetry() {
    if (closed || (retryTimer != null && retryTimer.isPending())) {
      return;
    }
    retryTimer = syncContext.schedule(
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

  boolean isRetryScheduled() {
    return retryTimer != null && retryTimer.isPending();
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (retryTimer != null) {
      retryTimer.cancel();
    }
    if (resolver != null) {
      try {
        resolver.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "resolver for " + target + " failed to close", e);
      }
    }
  }

  /** A resolution result, handed to the channel. */
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
      everResolved |= !state.addresses().isEmpty();
      host.onResolverState(state);
    }
  }

  /** A resolution error, handed to the channel; retried with backoff while nothing resolved. */
  private final class ResolverFailure implements Runnable {
    private final Status error;

    ResolverFailure(Status error) {
      this.error = error == null || error.isOk()
          ? Status.UNAVAILABLE.withDescription("resolver reported an error without a status")
          : error;
    }

    @Override
    public void run() {
      if (closed) {
        return;
      }
      host.onResolverError(error);
      if (!everResolved) {
        scheduleRetry();
      }
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
