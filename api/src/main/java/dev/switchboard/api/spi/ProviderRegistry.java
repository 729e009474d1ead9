package dev.switchboard.api.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A thread-safe registry of named providers, fed by whoever finds them ({@link ServiceLoader}
 * outside OSGi, the service registry inside). It does not care where providers come from.
 *
 * <p>Ranking, for one name: higher {@code ranking} (OSGi {@code service.ranking}; 0 for
 * ServiceLoader) wins, then higher provider priority, then the earlier registration. Providers
 * that report themselves unavailable never win. Lookups read an immutable snapshot and take no
 * lock; {@code register}/{@code deregister} are rare and serialized.
 *
 * <p>Listeners are told, outside any lock, which names changed winner.
 *
 * @param <P> provider type
 * @since 0.1
 */
public abstract class ProviderRegistry<P> {
  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  /** Told when the winning provider of some names changed. Must not block. */
  @FunctionalInterface
  public interface Listener {
    void providersChanged(Set<String> names);
  }

  /** One registration: the provider, its ranking, its order, and a description of its origin. */
  public record Registration<P>(P provider, String name, int ranking, int priority, long order,
      String origin) {}

  private final Object lock = new Object();
  // Guarded by lock.
  private final List<Registration<P>> registrations = new ArrayList<>();
  private long nextOrder;
  // Immutable snapshot, replaced under lock.
  private volatile Map<String, Registration<P>> winners = Map.of();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  protected ProviderRegistry() {}

  /** The name a provider serves (policy name, scheme, codec name ...). */
  protected abstract String nameOf(P provider);

  /** The provider's own priority; higher wins. */
  protected abstract int priorityOf(P provider);

  /** Whether the provider can be used at all. */
  protected abstract boolean isAvailable(P provider);

  /** Registers {@code provider} with ranking 0 and an origin derived from its class. */
  public void register(P provider) {
    register(provider, 0, originOf(provider));
  }

  /**
   * Registers {@code provider}. A provider whose name, priority or availability throws is refused
   * (logged) and the registry is unchanged.
   */
  public void register(P provider, int ranking, String origin) {
    Objects.requireNonNull(provider, "provider");
    String name;
    int priority;
    try {
      if (!isAvailable(provider)) {
        LOG.log(System.Logger.Level.DEBUG, "provider {0} is not available; ignored", provider);
        return;
      }
      name = Objects.requireNonNull(nameOf(provider), "name");
      priority = priorityOf(provider);
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "provider " + provider.getClass().getName()
          + " failed to describe itself; ignored", e);
      return;
    }
    Set<String> changed;
    synchronized (lock) {
      for (Registration<P> r : registrations) {
        if (r.provider() == provider) {
          return;
        }
      }
      registrations.add(new Registration<>(provider, name, ranking, priority, nextOrder++, origin));
      changed = recompute();
    }
    notifyListeners(changed);
  }

  /** Removes {@code provider}; returns whether it was registered. */
  public boolean deregister(P provider) {
    Set<String> changed;
    synchronized (lock) {
      boolean removed = false;
      for (Iterator<Registration<P>> it = registrations.iterator(); it.hasNext(); ) {
        if (it.next().provider() == provider) {
          it.remove();
          removed = true;
        }
      }
      if (!removed) {
        return false;
      }
      changed = recompute();
    }
    notifyListeners(changed);
    return true;
  }

  /** The winning provider for {@code name}, or {@code null}. Lock-free. */
  public P lookup(String name) {
    Registration<P> r = winners.get(name);
    return r == null ? null : r.provider();
  }

  /** The winning registration for {@code name}, or {@code null}: for introspection. */
  public Registration<P> lookupRegistration(String name) {
    return winners.get(name);
  }

  /** Winning provider per name. */
  public Map<String, P> providers() {
    Map<String, P> out = new HashMap<>();
    winners.forEach((k, v) -> out.put(k, v.provider()));
    return Collections.unmodifiableMap(out);
  }

  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  private Set<String> recompute() {
    Map<String, Registration<P>> next = new HashMap<>();
    for (Registration<P> r : registrations) {
      next.merge(r.name(), r, (a, b) -> better(a, b) ? a : b);
    }
    Map<String, Registration<P>> prev = winners;
    Set<String> changed = new HashSet<>();
    for (String n : prev.keySet()) {
      if (!next.containsKey(n) || next.get(n) != prev.get(n)) {
        changed.add(n);
      }
    }
    for (String n : next.keySet()) {
      if (!prev.containsKey(n)) {
        changed.add(n);
      }
    }
    winners = Map.copyOf(next);
    return changed;
  }

  private static boolean better(Registration<?> a, Registration<?> b) {
    if (a.ranking() != b.ranking()) {
      return a.ranking() > b.ranking();
    }
    if (a.priority() != b.priority()) {
      return a.priority() > b.priority();
    }
    return a.order() < b.order();
  }

  private void notifyListeners(Set<String> changed) {
    if (changed.isEmpty()) {
      return;
    }
    Set<String> names = Set.copyOf(changed);
    for (Listener l : listeners) {
      try {
        l.providersChanged(names);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "registry listener failed", e);
      }
    }
  }

  /** Describes where a provider's class comes from: its module name, else its code source. */
  static String originOf(Object provider) {
    Class<?> c = provider.getClass();
    Module m = c.getModule();
    if (m.isNamed()) {
      String v = m.getDescriptor() != null && m.getDescriptor().rawVersion().isPresent()
          ? "@" + m.getDescriptor().rawVersion().get() : "";
      return "module " + m.getName() + v;
    }
    try {
      var cs = c.getProtectionDomain().getCodeSource();
      return cs == null ? "classpath" : "classpath " + cs.getLocation();
    } catch (SecurityException e) {
      return "classpath";
    }
  }

  /**
   * Registers every provider {@link ServiceLoader} finds for {@code type} through {@code type}'s
   * class loader (module path and classpath). A provider that fails to load is logged and skipped.
   */
  protected final void loadFromServiceLoader(Class<P> type) {
    ServiceLoader<P> loader = ServiceLoader.load(type, type.getClassLoader());
    Iterator<P> it = loader.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return;
        }
        register(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "could not load a " + type.getSimpleName(), e);
      }
    }
  }
}
