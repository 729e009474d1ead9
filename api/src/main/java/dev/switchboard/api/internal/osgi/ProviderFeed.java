package dev.switchboard.api.internal.osgi;

import dev.switchboard.api.spi.ProviderRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * Mirrors the OSGi services of one provider type into one registry, keyed by service reference
 * (that is, by {@code service.id}).
 *
 * <p>The feed gets each service itself, with the api bundle's context, rather than letting SCR
 * inject it: the service object is then ours to release. When the service goes away the provider
 * leaves the registry at once (no new channel or call can start using it; the registry's listeners,
 * the channels, start switching away from it), and {@link #remove} then <em>waits</em>, at most the
 * release timeout, until every lease on it is closed (the registry's {@code onReleased} hook, see
 * {@link ProviderRegistry}) before it ungets the service and returns. {@link #remove} runs inside
 * the service's unregistration, which runs while the providing bundle stops, so a bundle that is
 * stopped, uninstalled and refreshed has its classes dropped only after the channels let go of
 * them: the framework's release and ours coincide. Once half the timeout has passed with leases
 * still open, it {@linkplain ProviderRegistry#revoke revokes} them: holders that set a revocation
 * action (channels and servers on a transport) stop using the provider now and close their leases.
 * When the timeout passes first, a WARNING names the provider and the unregistration goes on;
 * whoever still runs its code may then fail once its bundle is refreshed.
 *
 * <p>Ranking is the service's {@code service.ranking} (an {@code Integer}; anything else counts as
 * 0, as in the framework), updated in place when the property changes; origin is {@code "bundle
 * <symbolic name> <version>"} of the registering bundle.
 *
 * <p>Thread-safe without a lock (the registry's listeners enter channels' serializers, so none may
 * be held across it): SCR may call {@link #add}, {@link #modified} and {@link #remove} from any
 * thread, and {@link #add} undoes its registration if a racing {@link #remove} got there first.
 *
 * @param <P> provider type
 */
final class ProviderFeed<P> {
  private static final System.Logger LOG = System.getLogger(ProviderFeed.class.getName());

  /**
   * A provider we got from the framework and put into the registry; {@code released} opens once the
   * registry's {@code onReleased} ran (deregistered and no lease left).
   */
  private record Fed<P>(P provider, int ranking, String origin, CountDownLatch released) {
    Fed(P provider, int ranking, String origin) {
      this(provider, ranking, origin, new CountDownLatch(1));
    }
  }

  private final BundleContext context;
  private final ProviderRegistry<P> registry;
  private final String kind;
  private final Duration releaseTimeout;
  private final Map<ServiceReference<P>, Fed<P>> fed = new ConcurrentHashMap<>();

  /**
   * @param releaseTimeout how long {@link #remove} waits for the leases on a leaving provider to be
   *     closed; zero does not wait
   */
  ProviderFeed(
      BundleContext context, ProviderRegistry<P> registry, String kind, Duration releaseTimeout) {
    this.context = Objects.requireNonNull(context, "context");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.kind = kind;
    this.releaseTimeout = Objects.requireNonNull(releaseTimeout, "releaseTimeout");
  }

  /** Tells the registry that its providers now come from the OSGi service registry. */
  void declareFeed() {
    registry.setFeed(ProviderRegistry.Feed.OSGI);
  }

  /** A matching service appeared: get it and register it. */
  void add(ServiceReference<P> ref) {
    String origin = originOf(ref);
    P provider;
    try {
      provider = context.getService(ref);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not get " + kind + " provider from " + origin, e);
      return;
    }
    if (provider == null) {
      // Unregistered meanwhile, or its component failed to activate (SCR logs why).
      LOG.log(
          System.Logger.Level.DEBUG, "{0} provider from {1} is gone; not registered", kind, origin);
      return;
    }
    Fed<P> entry = new Fed<>(provider, rankingOf(ref), origin);
    if (fed.putIfAbsent(ref, entry) != null) {
      context.ungetService(ref); // bound twice: keep the first get only
      return;
    }
    // The registry runs the callback once the provider is deregistered and no channel holds a
    // lease on it any more (at once if it refuses the provider): remove() waits for it.
    if (!registry.register(provider, entry.ranking(), origin, () -> released(entry))) {
      fed.remove(ref, entry);
      unget(ref, entry); // refused: the service stays registered, we do not use it
      return;
    }
    // No lock is held across the registry (its listeners enter channels' serializers), so a
    // remove() racing with this add may have run before register(): undo it here then.
    if (fed.get(ref) != entry) {
      registry.deregister(provider);
      return;
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0} provider {1} registered from {2}, ranking {3}",
        kind,
        provider,
        origin,
        entry.ranking());
  }

  /** The service's properties changed: a new {@code service.ranking} takes effect in place. */
  void modified(ServiceReference<P> ref) {
    Fed<P> entry = fed.get(ref);
    if (entry != null) {
      registry.updateRanking(entry.provider(), rankingOf(ref));
    }
  }

  /**
   * The service is going away: take it out of the registry so that no new use starts, and wait (at
   * most the release timeout) until the last lease on it is closed. Returns whether it was released
   * in time (true as well when it was not fed).
   */
  boolean remove(ServiceReference<P> ref) {
    Fed<P> entry = deregister(ref);
    if (entry == null) {
      return true;
    }
    boolean released = awaitReleased(List.of(entry), System.nanoTime() + releaseTimeout.toNanos());
    unget(ref, entry);
    return released;
  }

  /**
   * Removes every provider this feed registered, the feed itself going away: all are deregistered
   * first, then their release awaited against one deadline.
   */
  void removeAll() {
    Map<ServiceReference<P>, Fed<P>> removed = new java.util.LinkedHashMap<>();
    for (ServiceReference<P> ref : fed.keySet()) {
      Fed<P> entry = deregister(ref);
      if (entry != null) {
        removed.put(ref, entry);
      }
    }
    awaitReleased(new ArrayList<>(removed.values()), System.nanoTime() + releaseTimeout.toNanos());
    removed.forEach(this::unget);
  }

  private Fed<P> deregister(ServiceReference<P> ref) {
    Fed<P> entry = fed.remove(ref);
    if (entry == null) {
      return null;
    }
    registry.deregister(entry.provider());
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0} provider {1} from {2} deregistered",
        kind,
        entry.provider(),
        entry.origin());
    return entry;
  }

  /**
   * Waits until each of {@code entries} is released or {@code deadline} passes; once half the wait
   * has passed, revokes the leases still open (their holders, long calls and servers on a
   * transport, let go at once). See the class.
   */
  private boolean awaitReleased(List<Fed<P>> entries, long deadline) {
    long revokeAt = deadline - releaseTimeout.toNanos() / 2;
    boolean all = true;
    boolean interrupted = false;
    for (Fed<P> entry : entries) {
      boolean released = false;
      try {
        released = await(entry, revokeAt);
        if (!released && !releaseTimeout.isZero()) {
          int revoked = registry.revoke(entry.provider());
          LOG.log(
              System.Logger.Level.INFO,
              "{0} provider {1} from {2} is still in use {3} ms after its service was "
                  + "unregistered; asked {4} holder(s) to let go now",
              kind,
              entry.provider(),
              entry.origin(),
              String.valueOf(releaseTimeout.toMillis() / 2),
              revoked);
          released = await(entry, deadline);
        }
      } catch (InterruptedException e) {
        interrupted = true; // stop waiting, keep the interrupt for the caller
        deadline = System.nanoTime();
        revokeAt = deadline;
      }
      if (!released) {
        all = false;
        LOG.log(
            releaseTimeout.isZero() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
            "{0} provider {1} from {2} is still in use {3} ms after its service was "
                + "unregistered (the release timeout, {4}={3}); going on: whatever still runs its "
                + "code may fail once its bundle is refreshed",
            kind,
            entry.provider(),
            entry.origin(),
            String.valueOf(releaseTimeout.toMillis()),
            RegistryFeed.RELEASE_TIMEOUT_PROPERTY);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return all;
  }

  private static boolean await(Fed<?> entry, long deadline) throws InterruptedException {
    return entry.released().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /**
   * The registry's {@code onReleased}: nobody uses the provider any more. Runs once per
   * registration, on whichever thread deregistered it or closed the last lease (perhaps a channel's
   * synchronization context), so it only wakes {@link #remove}, which ungets.
   */
  private void released(Fed<P> entry) {
    entry.released().countDown();
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0} provider {1} from {2} released",
        kind,
        entry.provider(),
        entry.origin());
  }

  /**
   * Gives the service back to the framework, on the thread that unbinds (the service is being
   * unregistered; the framework would release it right after anyway) or that added a refused
   * provider.
   */
  private void unget(ServiceReference<P> ref, Fed<P> entry) {
    try {
      context.ungetService(ref);
    } catch (IllegalStateException e) {
      // The api bundle stopped meanwhile; the framework released everything it had got.
      LOG.log(System.Logger.Level.DEBUG, "{0} from {1}: api bundle gone", kind, entry.origin());
    }
  }

  /** {@code service.ranking} when it is an Integer, else 0: the framework's own rule. */
  static int rankingOf(ServiceReference<?> ref) {
    return ref.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
  }

  /** {@code "bundle <bsn> <version>"}, or the service id when the bundle is already gone. */
  static String originOf(ServiceReference<?> ref) {
    Bundle bundle = ref.getBundle();
    if (bundle == null) {
      return "service " + ref.getProperty(Constants.SERVICE_ID) + " (unregistered)";
    }
    return "bundle " + bundle.getSymbolicName() + " " + bundle.getVersion();
  }
}
