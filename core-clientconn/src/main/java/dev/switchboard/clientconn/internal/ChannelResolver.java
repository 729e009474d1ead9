package dev.switchboard.clientconn.internal;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;

/**
 * The channel's resolver, whichever provider supplies it: the built-in one for {@code
 * passthrough} and {@code static}, else the registry's winner for the target's scheme, leased
 * while used. It follows the registry ({@link #followProvider()}): a replacement is switched to;
 * a provider that leaves is closed and released while the channel keeps its last addresses (a
 * WARNING says so, and the wiring shows it LOST) until a resolver for the scheme is deployed
 * again. Serializer only.
 */
final class ChannelResolver {
  private static final System.Logger LOG = System.getLogger(ChannelResolver.class.getName());

  /** What the resolver side tells the channel; called in the serializer. */
  interface Host extends ResolverWrapper.Host {
    /** No resolver for the scheme, and nothing resolved to carry on with. */
    void noResolver(Status error);

    /** How the channel treats a missing provider now, for the wiring: "; calls wait for it ...". */
    String providerWait();

    /** The last resolution, or null. */
    ResolverState lastResolverState();
  }

  private final Host host;
  private final String targetString;
  private final Target target;
  private final ResolverProvider builtin; // null: look the scheme up in the registry
  private final String schemeReason;
  private final ResolverRegistry registry;
  private final SynchronizationContext syncContext;
  private final ChannelEnvironment env;
  private final BackoffConfig backoff;

  // Only touched in the serializer.
  private ResolverWrapper wrapper;
  /** Origin of the resolver provider that left while this channel used it, or null. */
  private String lostFrom;
  private boolean started;

  ChannelResolver(Host host, String targetString, Target target, ResolverProvider builtin,
      String schemeReason, ResolverRegistry registry, SynchronizationContext syncContext,
      ChannelEnvironment env, BackoffConfig backoff) {
    this.host = host;
    this.targetString = targetString;
    this.target = target;
    this.builtin = builtin;
    this.schemeReason = schemeReason;
    this.registry = registry;
    this.syncContext = syncContext;
    this.env = env;
    this.backoff = backoff;
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
        if (host.lastResolverState() == null) {
          host.noResolver(Status.UNAVAILABLE.withDescription(missing()));
        }
        return;
      }
      provider = lease.provider();
    }
    lostFrom = null;
    wrapper = new ResolverWrapper(host, syncContext, env.timer(),
        new Backoff(backoff, env.random()), provider, lease, target);
    wrapper.start();
  }

  /** The resolver registry changed: follow a departure, an arrival or a replacement. */
  void followProvider() {
    if (builtin != null || !started) {
      return;
    }
    Registration<ResolverProvider> winner = registry.lookupRegistration(target.scheme());
    if (wrapper == null) {
      if (winner != null) {
        LOG.log(System.Logger.Level.INFO, "{0}: resolver for scheme ''{1}'' from {2} deployed; "
            + "resolving with it", targetString, target.scheme(), winner.origin());
        start();
      }
      return;
    }
    if (winner != null && winner.provider() == wrapper.provider()) {
      return;
    }
    String origin = wrapper.lease().registration().origin();
    wrapper.close();
    wrapper = null;
    if (winner != null) {
      LOG.log(System.Logger.Level.INFO, "{0}: resolver for scheme ''{1}'' from {2} replaced by "
          + "the one from {3}", targetString, target.scheme(), origin, winner.origin());
      start();
      return;
    }
    lostFrom = origin;
    ResolverState last = host.lastResolverState();
    if (last != null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: resolver for scheme ''{1}'' from {2} left; "
          + "keeping the last {3} address(es) until one is deployed again", targetString,
          target.scheme(), origin, last.addresses().size());
    } else {
      LOG.log(System.Logger.Level.WARNING, "{0}: resolver for scheme ''{1}'' from {2} left "
          + "before resolving anything", targetString, target.scheme(), origin);
      host.noResolver(Status.UNAVAILABLE.withDescription(missing() + " (the one from " + origin
          + " left)"));
    }
  }

  /** "no resolver for scheme 'x' deployed: " and how to deploy one. */
  private String missing() {
    return "no resolver for scheme '" + target.scheme() + "' deployed: "
        + registry.howToDeploy(target.scheme());
  }

  void resolveNow() {
    if (wrapper != null) {
      wrapper.resolveNow();
    }
  }

  /** The balancer rejected an update or failed: re-resolve after a backoff. */
  void scheduleRetry() {
    if (wrapper != null) {
      wrapper.scheduleRetry();
    }
  }

  void resolutionAccepted() {
    if (wrapper != null) {
      wrapper.resolutionAccepted();
    }
  }

  void close() {
    if (wrapper != null) {
      wrapper.close();
    }
  }

  /** The resolver in the channel's wiring. */
  ChannelWiring.Component describe() {
    ChannelWiring.Component.Builder b =
        ChannelWiring.Component.newBuilder(ChannelWiring.Role.RESOLVER, target.scheme());
    ResolverState last = host.lastResolverState();
    String kept = last == null ? null : last.addresses().size() + " address(es)";
    if (wrapper != null) {
      Lease<ResolverProvider> lease = wrapper.lease();
      b.origin(lease == null ? "built-in" : lease.registration().origin())
          .reason(lease == null ? schemeReason
              : schemeReason + "; " + Reasons.ranking(registry, lease.registration()));
      if (wrapper.startFailure() != null) {
        b.state(ChannelWiring.State.FAILED).detail(wrapper.startFailure().getDescription()
            + "; retrying with backoff");
      } else if (wrapper.lastError() != null) {
        b.detail("last error: " + wrapper.lastError().getDescription()
            + (kept != null ? "; keeping " + kept : ""));
      } else {
        b.detail(kept != null ? kept : "resolving");
      }
      return b.build();
    }
    if (lostFrom != null) {
      return b.origin(lostFrom).reason(schemeReason).state(ChannelWiring.State.LOST)
          .detail("its provider left; " + (kept != null ? "keeping the last " + kept
              : "nothing resolved") + " until a resolver for '" + target.scheme()
              + "' is deployed" + (kept != null ? "" : host.providerWait()))
          .build();
    }
    Registration<ResolverProvider> winner =
        builtin != null ? null : registry.lookupRegistration(target.scheme());
    if (builtin != null || winner != null) {
      return b.origin(builtin != null ? "built-in" : winner.origin())
          .reason(winner == null ? schemeReason
              : schemeReason + "; " + Reasons.ranking(registry, winner))
          .detail(started ? "not started" : "not started: the channel is IDLE")
          .build();
    }
    return b.reason(schemeReason).state(ChannelWiring.State.MISSING)
        .detail("no resolver for scheme '" + target.scheme() + "' deployed"
            + (started ? host.providerWait() : "")).build();
  }
}
