package dev.switchboard.api.internal.osgi;

import dev.switchboard.api.spi.ProviderRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
 * leaves the registry at once (no new channel or call can start using it), but it is released
 * ({@code ungetService}) only once every channel holding a lease on it has let go: the registry's
 * {@code onReleased} hook (see {@link ProviderRegistry}).
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

  /** A provider we got from the framework and put into the registry. */
  private record Fed<P>(P provider, int ranking, String origin) {}

  private final BundleContext context;
  private final ProviderRegistry<P> registry;
  private final String kind;
  private final Map<ServiceReference<P>, Fed<P>> fed = new ConcurrentHashMap<>();

  ProviderFeed(BundleContext context, ProviderRegistry<P> registry, String kind) {
    this.context = Objects.requireNonNull(context, "context");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.kind = kind;
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
    // lease on it any more (at once if it refuses the provider): only then do we let go of it.
    if (!registry.register(provider, entry.ranking(), origin, () -> release(ref, entry))) {
      fed.remove(ref, entry);
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
   * The service is going away: take it out of the registry so that no new use starts. It is
   * released when the last channel using it lets go, which may be now or later.
   */
  void remove(ServiceReference<P> ref) {
    Fed<P> entry = fed.remove(ref);
    if (entry == null) {
      return;
    }
    registry.deregister(entry.provider());
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0} provider {1} from {2} deregistered",
        kind,
        entry.provider(),
        entry.origin());
  }

  /** Removes every provider this feed registered: the feed itself is going away. */
  void removeAll() {
    for (ServiceReference<P> ref : fed.keySet()) {
      remove(ref);
    }
  }

  /**
   * Nobody uses the provider any more: give it back to the framework. Runs once per registration,
   * on whichever thread deregistered it or closed the last lease (perhaps a channel's
   * synchronization context), so it only ungets. After the service was unregistered the framework
   * has already released it and this is a no-op.
   */
  private void release(ServiceReference<P> ref, Fed<P> entry) {
    try {
      context.ungetService(ref);
    } catch (IllegalStateException e) {
      // The api bundle stopped meanwhile; the framework released everything it had got.
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0} provider {1} from {2} released",
        kind,
        entry.provider(),
        entry.origin());
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
