package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;

/**
 * The channel's resolver, whichever provider supplies it: the built-in one for {@code passthrough}
 * and {@code static}, else the registry's winner for the target's scheme, leased while used. The
 * current resolver is a {@link ResolverConnImpl}; its results and errors come back here and go on
 * to the {@link BalancerWrapper}. The balancer side asks for re-resolution through the {@link
 * ChannelContext} ({@link #resolveNow}, {@link #scheduleRetry}, {@link #resolutionAccepted}).
 *
 * <p>It follows the registry ({@link #followProvider()}): a replacement is switched to; a provider
 * that leaves is closed and released while the channel keeps its last addresses (a WARNING says so,
 * and the wiring shows it LOST) until a resolver for the scheme is deployed again. No resolver for
 * the scheme at all is a missing provider for the balancer wrapper, which waits for it ({@link
 * BalancerWrapper#noResolver}).
 *
 * <p>Serializer only.
 */
final class ResolverWrapper {
  private static final System.Logger LOG = System.getLogger(ResolverWrapper.class.getName());

  private final ChannelContext ctx;
  private final BalancerWrapper balancer;
  private final Target target;
  private final ResolverProvider builtin; // null: look the scheme up in the registry
  private final String schemeReason;
  private final ResolverRegistry registry;

  // Only touched in the serializer.
  private ResolverConnImpl current;

  /** The last resolution handed to the balancer wrapper, or null. */
  private ResolverState lastState;

  /** Origin of the resolver provider that left while this channel used it, or null. */
  private String lostFrom;

  private boolean started;

  /**
   * @param builtin the built-in resolver provider of the target's scheme, or null
   * @param schemeReason why this scheme (and resolver) was chosen, for the wiring
   */
  ResolverWrapper(
      ChannelContext ctx, BalancerWrapper balancer, ResolverProvider builtin, String schemeReason) {
    this.ctx = ctx;
    this.balancer = balancer;
    this.target = ctx.target();
    this.builtin = builtin;
    this.schemeReason = schemeReason;
    this.registry = ctx.resolverRegistry();
  }

  /** Creates and starts the resolver; without one, fails the channel unless it has addresses. */
  void start() {
    started = true;
    ResolverProvider provider;
    Lease<ResolverProvider> lease = null;
    if (builtin != null) {
      provider = builtin;
    } else {
      lease = registry.acquire(target.scheme());
      if (lease == null) {
        if (lastState == null) {
          balancer.noResolver(Status.UNAVAILABLE.withDescription(missing()));
        }
        return;
      }
      provider = lease.provider();
    }
    lostFrom = null;
    current =
        new ResolverConnImpl(
            this, ctx, new Backoff(ctx.options().backoff(), ctx.env().random()), provider, lease);
    current.start();
  }

  /** The current resolver's result. */
  void onResolverState(ResolverState state) {
    lastState = state;
    balancer.onResolverState(state);
  }

  /** The current resolver's error, or its failure to start. */
  void onResolverError(Status error) {
    balancer.onResolverError(error);
  }

  /** The resolver registry changed: follow a departure, an arrival or a replacement. */
  void followProvider() {
    if (builtin != null || !started) {
      return;
    }
    Registration<ResolverProvider> winner = registry.lookupRegistration(target.scheme());
    if (current == null) {
      if (winner != null) {
        LOG.log(
            System.Logger.Level.INFO,
            "{0}: resolver for scheme ''{1}'' from {2} deployed; " + "resolving with it",
            target.original(),
            target.scheme(),
            winner.origin());
        start();
      }
      return;
    }
    if (winner != null && winner.provider() == current.provider()) {
      return;
    }
    String origin = current.lease().registration().origin();
    current.close();
    current = null;
    if (winner != null) {
      LOG.log(
          System.Logger.Level.INFO,
          "{0}: resolver for scheme ''{1}'' from {2} replaced by " + "the one from {3}",
          target.original(),
          target.scheme(),
          origin,
          winner.origin());
      start();
      return;
    }
    lostFrom = origin;
    if (lastState != null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: resolver for scheme ''{1}'' from {2} left; "
              + "keeping the last {3} address(es) until one is deployed again",
          target.original(),
          target.scheme(),
          origin,
          lastState.addresses().size());
    } else {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: resolver for scheme ''{1}'' from {2} left " + "before resolving anything",
          target.original(),
          target.scheme(),
          origin);
      balancer.noResolver(
          Status.UNAVAILABLE.withDescription(missing() + " (the one from " + origin + " left)"));
    }
  }

  /** "no resolver for scheme 'x' deployed: " and how to deploy one. */
  private String missing() {
    return "no resolver for scheme '"
        + target.scheme()
        + "' deployed: "
        + registry.howToDeploy(target.scheme());
  }

  /** Asks the resolver to resolve again now (creates it again if it failed to start). */
  void resolveNow() {
    if (current != null) {
      current.resolveNow();
    }
  }

  /** The balancer rejected an update or failed: re-resolve after a backoff. */
  void scheduleRetry() {
    if (current != null) {
      current.scheduleRetry();
    }
  }

  /** The balancer accepted an update: the backoff starts over. */
  void resolutionAccepted() {
    if (current != null) {
      current.resolutionAccepted();
    }
  }

  void close() {
    if (current != null) {
      current.close();
    }
  }

  /**
   * The channel goes IDLE: close the resolver and forget what it resolved; {@link #start()} begins
   * anew.
   */
  void enterIdle() {
    close();
    current = null;
    started = false;
    lastState = null;
    lostFrom = null;
  }

  /**
   * The application reset the connection backoff: a resolver that last reported an error, could not
   * start, or waits to retry resolves now, its backoff started over.
   */
  void resetBackoff() {
    if (current != null) {
      current.resetBackoff();
    }
  }

  /**
   * The resolver in the channel's wiring.
   *
   * @param providerWait how the channel treats a missing provider now ("; calls wait for it ..."),
   *     from the balancer wrapper, which runs the grace period
   */
  ChannelWiring.Component describe(String providerWait) {
    ChannelWiring.Component.Builder b =
        ChannelWiring.Component.newBuilder(ChannelWiring.Role.RESOLVER, target.scheme());
    String kept = lastState == null ? null : lastState.addresses().size() + " address(es)";
    if (current != null) {
      Lease<ResolverProvider> lease = current.lease();
      b.origin(lease == null ? "built-in" : lease.registration().origin())
          .reason(
              lease == null
                  ? schemeReason
                  : schemeReason + "; " + Reasons.ranking(registry, lease.registration()));
      if (current.startFailure() != null) {
        b.state(ChannelWiring.State.FAILED)
            .detail(current.startFailure().getDescription() + "; retrying with backoff");
      } else if (current.lastError() != null) {
        b.detail(
            "last error: "
                + current.lastError().getDescription()
                + (kept != null ? "; keeping " + kept : ""));
      } else {
        b.detail(kept != null ? kept : "resolving");
      }
      return b.build();
    }
    if (lostFrom != null) {
      return b.origin(lostFrom)
          .reason(schemeReason)
          .state(ChannelWiring.State.LOST)
          .detail(
              "its provider left; "
                  + (kept != null ? "keeping the last " + kept : "nothing resolved")
                  + " until a resolver for '"
                  + target.scheme()
                  + "' is deployed"
                  + (kept != null ? "" : providerWait))
          .build();
    }
    Registration<ResolverProvider> winner =
        builtin != null ? null : registry.lookupRegistration(target.scheme());
    if (builtin != null || winner != null) {
      return b.origin(builtin != null ? "built-in" : winner.origin())
          .reason(
              winner == null
                  ? schemeReason
                  : schemeReason + "; " + Reasons.ranking(registry, winner))
          .detail(started ? "not started" : "not started: the channel is IDLE")
          .build();
    }
    return b.reason(schemeReason)
        .state(ChannelWiring.State.MISSING)
        .detail(
            "no resolver for scheme '"
                + target.scheme()
                + "' deployed"
                + (started ? providerWait : ""))
        .build();
  }
}
