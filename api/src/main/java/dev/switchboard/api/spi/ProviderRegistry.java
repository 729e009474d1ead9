package dev.switchboard.api.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A thread-safe registry of named providers, fed by whoever finds them ({@link ServiceLoader}
 * outside OSGi, the service registry inside). It does not care where providers come from.
 *
 * <p>Ranking, for one name: higher {@code ranking} (OSGi {@code service.ranking}; 0 for
 * ServiceLoader) wins, then higher provider priority, then the earlier registration. Providers that
 * report themselves unavailable never win. Lookups read an immutable snapshot and take no lock;
 * {@code register}/{@code deregister} are rare and serialized.
 *
 * <p>Listeners are told, outside any lock, which names changed winner.
 *
 * <h2>Leases: who may still be using a deregistered provider</h2>
 *
 * A user that keeps a provider (or what it made: a balancer, a resolver, a transport factory)
 * beyond one lookup takes a {@link Lease} with {@link #acquire(String)} or {@link
 * #acquire(Registration)} and {@linkplain Lease#close() closes} it when it has stopped using the
 * provider and everything it made. Channels do so for their resolver, balancers (until a switch
 * away from them has finished: at once for a deregistered one), transport factory (until its
 * connections have drained) and, per call, codec.
 *
 * <p>Whoever registers a provider with {@link #register(Object, int, String, Runnable)} may pass an
 * {@code onReleased} callback: it runs exactly once, after the provider has been {@linkplain
 * #deregister deregistered} and every lease on that registration has been closed (at once, inside
 * {@code deregister}, when none is open). A lease does not keep a provider's code available by
 * itself: in OSGi the framework releases an unregistered service whatever its leases, so the api
 * bundle's feed deregisters the provider inside the service's unregistration and waits there,
 * bounded, for this callback (the bundle's classes stay until then). Leasing a deregistered
 * provider fails ({@code null}), so no new use can start after deregistration. The callback runs on
 * the thread that deregisters or closes the last lease, which may be a channel's synchronization
 * context: it must be quick, must not block and must not call back into a channel; an exception it
 * throws is logged.
 *
 * <p>A holder that may use a provider for long (a channel's transport connections, a server's
 * transport) registers with {@link Lease#onRevoked(Runnable)} how to let go at once; {@link
 * #revoke(Object)} asks it to, for a provider already deregistered. The OSGi feed revokes when half
 * its wait has passed, so that the provider's code is out of use before its bundle can go.
 *
 * <h2>Telling users how to deploy a missing provider</h2>
 *
 * Whoever feeds a registry says so with {@link #setFeed(Feed)} (the {@link ServiceLoader} load of
 * the default registries, the OSGi feed in the api bundle), and {@link #howToDeploy(String)} turns
 * that into the one hint every "no transport 'netty' deployed" message ends with: a bundle to start
 * in OSGi, a jar to add on the module path or class path, a provider to register in code.
 *
 * @param <P> provider type
 * @since 0.1
 */
@ProviderType
public abstract class ProviderRegistry<P> {
  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  /** Told when the winning provider of some names changed. Must not block. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called after a {@code register}, {@code deregister} or {@code updateRanking} changed the
     * winner of some names (a name gained, lost or changed its winner), on the thread that made the
     * change and outside the registry's lock. An exception it throws is logged.
     *
     * @param names the names whose winner changed; immutable, never empty
     */
    void providersChanged(Set<String> names);
  }

  /**
   * Where a registry's providers come from, which decides how {@link #howToDeploy(String)} tells a
   * user to add a missing one.
   *
   * @since 0.2
   */
  public enum Feed {
    /** Only code calling {@code register}: an isolated registry given in the options, a test. */
    CODE,
    /** {@link ServiceLoader} with the api on the class path: {@code META-INF/services} files. */
    CLASS_PATH,
    /**
     * {@link ServiceLoader} with the api on the module path: modules' {@code provides} clauses (and
     * {@code META-INF/services} files of jars on the class path).
     */
    MODULE_PATH,
    /** The OSGi service registry, mirrored by the api bundle's Declarative Services component. */
    OSGI
  }

  /**
   * One registration: the provider, its ranking, its order, and a description of its origin.
   *
   * @param provider the registered provider
   * @param name the name it serves, as it reported when registered
   * @param ranking higher wins first; OSGi {@code service.ranking}, 0 for ServiceLoader
   * @param priority the provider's own priority, as it reported when registered; compared second
   * @param order registration order in this registry; the earlier wins a tie
   * @param origin where the provider comes from, for introspection
   * @param <P> provider type
   */
  public record Registration<P>(
      P provider, String name, int ranking, int priority, long order, String origin) {}

  /**
   * A claim that a provider is in use, keeping its {@code onReleased} callback from running until
   * closed. Thread-safe; {@link #close()} is idempotent.
   *
   * <p>A holder that may keep a provider's code running for long (a transport's connections and
   * listeners) says with {@link #onRevoked(Runnable)} how to let go at once when asked: see {@link
   * ProviderRegistry#revoke(Object)}.
   *
   * @param <P> provider type
   * @since 0.2
   */
  public static final class Lease<P> implements AutoCloseable {
    private final RegistrationEntry<P> entry;
    private final Registration<P> registration;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Null, the holder's revocation action, or revoked: see {@link LeaseRevocation}. */
    volatile Runnable revocation;

    private Lease(RegistrationEntry<P> entry, Registration<P> registration) {
      this.entry = entry;
      this.registration = registration;
    }

    /**
     * The leased provider.
     *
     * @return the provider, usable until this lease is closed
     */
    public P provider() {
      return registration.provider();
    }

    /**
     * The registration leased (as it was when leased).
     *
     * @return the registration
     */
    public Registration<P> registration() {
      return registration;
    }

    /** Ends this claim; the last one closed after deregistration runs {@code onReleased}. */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        if (revocation != null) {
          entry.untrack(this); // only leases with an action are tracked
        }
        entry.release();
      }
    }

    /**
     * Says how this lease's holder lets go of the provider when asked to, after the provider was
     * deregistered (see {@link ProviderRegistry#revoke(Object)}): {@code action} should stop every
     * use of the provider's code now, failing what is in progress, and close this lease, or hand
     * that to the holder's own executor. It runs at most once, on the thread that revokes (at once,
     * on this thread, when the lease was revoked already), and never after {@link #close()}; an
     * exception it throws is logged. Without an action a revoked lease stays open until its holder
     * closes it.
     *
     * @param action what to do when revoked, not null
     * @throws IllegalStateException when an action was set already
     * @since 0.3
     */
    public void onRevoked(Runnable action) {
      LeaseRevocation.onRevoked(this, entry, action);
    }

    /**
     * True once this lease was revoked (its provider was deregistered and then asked to be let go
     * of), whether or not its holder had set an action.
     *
     * @return whether this lease was revoked
     * @since 0.3
     */
    public boolean isRevoked() {
      return revocation == LeaseRevocation.REVOKED || entry.isRevoked();
    }

    /**
     * True once {@link #close()} has been called.
     *
     * @return whether this lease is closed
     */
    public boolean isClosed() {
      return closed.get();
    }

    @Override
    public String toString() {
      return "Lease{"
          + registration.name()
          + " from "
          + registration.origin()
          + (closed.get() ? ", closed" : "")
          + "}";
    }
  }

  private final ProviderTable<P> table = new ProviderTable<>();
  private final DepartingEntries<P> departing = new DepartingEntries<>();
  private final RegistryListeners listeners = new RegistryListeners();
  private final Class<P> type;
  private final String nameProperty;
  private volatile Feed feed = Feed.CODE;

  /**
   * Creates an empty registry whose hints name no provider type (see {@link #howToDeploy(String)});
   * subclasses say how to read a provider's name and priority.
   */
  protected ProviderRegistry() {
    this(null, null);
  }

  /**
   * A registry of {@code type} providers whose name is the OSGi service property {@code
   * nameProperty} (such as {@code transport.name}); both only feed {@link #howToDeploy(String)}.
   *
   * @param type the provider interface, named in hints; {@code null} for none
   * @param nameProperty the OSGi service property carrying a provider's name; {@code null} for none
   * @since 0.2
   */
  protected ProviderRegistry(Class<P> type, String nameProperty) {
    this.type = type;
    this.nameProperty = nameProperty;
  }

  /**
   * {@return where this registry's providers come from; {@link Feed#CODE} until a feed says
   * otherwise}
   *
   * @since 0.2
   */
  public Feed feed() {
    return feed;
  }

  /**
   * Declares where this registry's providers come from. Called by whoever feeds it: the {@link
   * ServiceLoader} load of a default registry, the OSGi feed of the api bundle.
   *
   * @param feed where the providers come from
   * @since 0.2
   */
  public void setFeed(Feed feed) {
    this.feed = Objects.requireNonNull(feed, "feed");
  }

  /**
   * How to deploy a provider for {@code name} in the world this registry is fed from, as the end of
   * a sentence such as "no transport 'netty' deployed: " + hint. For the default transport registry
   * and {@code netty}: in OSGi "start the bundle providing it (a {@code
   * dev.switchboard.api.transport.TransportProvider} service with transport.name=netty)"; on the
   * module path "add the module providing it to the module path (one that {@code provides
   * dev.switchboard.api.transport.TransportProvider})"; on the class path "add the jar providing it
   * to the class path (one listing it in META-INF/services/...)".
   *
   * @param name the provider name that is missing
   * @return the hint, without a leading capital or a final period
   * @since 0.2
   */
  public String howToDeploy(String name) {
    return DeployHints.howToDeploy(feed, type, nameProperty, name, getClass().getSimpleName());
  }

  /**
   * The name a provider serves (policy name, scheme, codec name ...). Called once, when it is
   * registered.
   *
   * @param provider the provider
   * @return its name, not null
   */
  protected abstract String nameOf(P provider);

  /**
   * The provider's own priority; higher wins. Called once, when it is registered.
   *
   * @param provider the provider
   * @return its priority
   */
  protected abstract int priorityOf(P provider);

  /**
   * Whether the provider can be used at all. Called once, when it is registered; an unavailable
   * provider is refused.
   *
   * @param provider the provider
   * @return whether it is available
   */
  protected abstract boolean isAvailable(P provider);

  /**
   * Registers {@code provider} with ranking 0 and an origin derived from its class (its module,
   * else its code source).
   *
   * @param provider the provider, not null; refused (logged) when it is unavailable, fails to
   *     describe itself or is already registered
   */
  public void register(P provider) {
    register(provider, 0, ProviderOrigins.originOf(provider), null);
  }

  /**
   * Registers {@code provider}. A provider whose name, priority or availability throws is refused
   * (logged) and the registry is unchanged.
   *
   * @param provider the provider, not null
   * @param ranking higher wins; OSGi {@code service.ranking}, 0 for ServiceLoader
   * @param origin where the provider comes from, for introspection (see {@link #register(Object,
   *     int, String, Runnable)})
   */
  public void register(P provider, int ranking, String origin) {
    register(provider, ranking, origin, null);
  }

  /**
   * Registers {@code provider}, to be told through {@code onReleased} when nobody uses it any more
   * after it has been deregistered (see the class comment on leases).
   *
   * <p>A provider that is unavailable, fails to describe itself, or is already registered is
   * refused: the registry is unchanged and {@code onReleased} runs before this method returns.
   *
   * @param provider the provider, not null
   * @param ranking higher wins; OSGi {@code service.ranking}, 0 for ServiceLoader
   * @param origin where the provider comes from, for introspection: {@code "bundle <bsn>
   *     <version>"}, {@code "module <name>"}, {@code "classpath <location>"}
   * @param onReleased run once after deregistration and the last lease's close; may be null
   * @return true when registered, false when refused
   * @since 0.2
   */
  public boolean register(P provider, int ranking, String origin, Runnable onReleased) {
    Objects.requireNonNull(provider, "provider");
    String name;
    int priority;
    try {
      if (!isAvailable(provider)) {
        LOG.log(System.Logger.Level.DEBUG, "provider {0} is not available; ignored", provider);
        return RegistrationEntry.refused(onReleased);
      }
      name = Objects.requireNonNull(nameOf(provider), "name");
      priority = priorityOf(provider);
    } catch (RuntimeException | LinkageError e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "provider " + provider.getClass().getName() + " failed to describe itself; ignored",
          e);
      return RegistrationEntry.refused(onReleased);
    }
    Set<String> changed = table.add(provider, name, ranking, priority, origin, onReleased);
    if (changed == null) {
      return RegistrationEntry.refused(onReleased); // already registered
    }
    listeners.changed(changed);
    return true;
  }

  /**
   * Changes a registered provider's ranking in place (OSGi: {@code service.ranking} modified). Its
   * registration order, leases and {@code onReleased} carry over. Returns false when {@code
   * provider} is not registered.
   *
   * @param provider the registered provider
   * @param ranking its new ranking
   * @return true when {@code provider} is registered (changed or already at that ranking)
   * @since 0.2
   */
  public boolean updateRanking(P provider, int ranking) {
    Set<String> changed = table.updateRanking(provider, ranking);
    if (changed == null) {
      return false;
    }
    listeners.changed(changed);
    return true;
  }

  /**
   * Removes {@code provider}; returns whether it was registered. Its {@code onReleased} runs now
   * when it is not leased, else when the last lease closes.
   *
   * @param provider the provider, compared by identity
   * @return whether it was registered
   */
  public boolean deregister(P provider) {
    List<RegistrationEntry<P>> removed = new ArrayList<>(1);
    Set<String> changed = table.remove(provider, removed);
    if (changed == null) {
      return false;
    }
    // After the snapshots stopped offering it: a racing acquire either got its lease before
    // this (and holds the release back) or fails and looks again.
    for (RegistrationEntry<P> e : removed) {
      departing.deregistered(e);
    }
    listeners.changed(changed);
    return true;
  }

  /**
   * Asks every holder of a lease on the deregistered {@code provider} to let go of it now: runs
   * each open lease's {@linkplain Lease#onRevoked(Runnable) revocation action}, on this thread, and
   * marks the leases revoked (an action set later runs at once). For whoever must have a provider's
   * code out of use by a deadline: the api bundle's OSGi feed revokes a leaving provider's leases
   * once half its release timeout has passed, so that long calls and running servers stop before
   * the provider's bundle can be refreshed. Leases without an action are not affected; a provider
   * still registered is not revoked.
   *
   * @param provider the provider, compared by identity
   * @return the number of revocation actions run
   * @since 0.3
   */
  public int revoke(P provider) {
    return departing.revoke(provider);
  }

  /**
   * The winning provider for {@code name}, or {@code null}. Lock-free. Without a {@link Lease}, the
   * provider may be deregistered (and its bundle stopped) at any time: use it for one quick action
   * only.
   *
   * @param name the name to look up
   * @return the winner, or {@code null} when no provider serves {@code name}
   */
  public P lookup(String name) {
    Registration<P> r = table.winner(name);
    return r == null ? null : r.provider();
  }

  /**
   * The winning registration for {@code name}, or {@code null}: for introspection.
   *
   * @param name the name to look up
   * @return the winner's registration, or {@code null} when no provider serves {@code name}
   */
  public Registration<P> lookupRegistration(String name) {
    return table.winner(name);
  }

  /**
   * Every registration for {@code name}, best first (the first is {@link #lookupRegistration}'s);
   * empty when none. For introspection: why the winner won.
   *
   * @param name the name to look up
   * @return an immutable snapshot
   * @since 0.2
   */
  public List<Registration<P>> registrations(String name) {
    return table.registrations(name);
  }

  /**
   * Leases the winning provider for {@code name}, or returns {@code null} when there is none.
   * Lock-free.
   *
   * @param name the name to look up
   * @return an open lease the caller must close, or {@code null}
   * @since 0.2
   */
  public Lease<P> acquire(String name) {
    while (true) {
      List<RegistrationEntry<P>> list = table.entries(name);
      if (list == null || list.isEmpty()) {
        return null;
      }
      RegistrationEntry<P> best = list.get(0);
      Registration<P> r = best.registration;
      if (best.tryAcquire()) {
        return new Lease<>(best, r);
      }
      // Deregistered after the snapshot was read; the next snapshot no longer has it.
      Thread.onSpinWait();
    }
  }

  /**
   * Leases the provider of {@code registration} when it is still registered (its ranking may have
   * changed meanwhile), else returns {@code null}. Lock-free.
   *
   * @param registration a registration from this registry, not null
   * @return an open lease the caller must close, or {@code null}
   * @since 0.2
   */
  public Lease<P> acquire(Registration<P> registration) {
    Objects.requireNonNull(registration, "registration");
    List<RegistrationEntry<P>> list = table.entries(registration.name());
    if (list != null) {
      for (RegistrationEntry<P> e : list) {
        if (e.registration.provider() == registration.provider()) {
          Registration<P> current = e.registration;
          return e.tryAcquire() ? new Lease<>(e, current) : null;
        }
      }
    }
    return null;
  }

  /**
   * Winning provider per name.
   *
   * @return an immutable snapshot, keyed by name
   */
  public Map<String, P> providers() {
    return table.providers();
  }

  /** The current winners; a new map (another identity) after every change. Lock-free. */
  final Object winnersSnapshot() {
    return table.winners();
  }

  /**
   * Adds a listener, told of every later change of winners. Thread-safe.
   *
   * @param listener the listener, not null
   */
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /**
   * Removes a listener added before; does nothing when it was not added. Thread-safe.
   *
   * @param listener the listener
   */
  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /**
   * Registers every provider {@link ServiceLoader} finds for {@code type} through {@code type}'s
   * class loader (module path and classpath), and sets the {@linkplain #feed() feed} to {@link
   * Feed#MODULE_PATH} or {@link Feed#CLASS_PATH} after where the api is. A provider that fails to
   * load is logged and skipped.
   *
   * @param type the provider interface; on the module path it must be one the api module declares
   *     {@code uses} for, as ServiceLoader requires of the module that calls it
   */
  protected final void loadFromServiceLoader(Class<P> type) {
    setFeed(type.getModule().isNamed() ? Feed.MODULE_PATH : Feed.CLASS_PATH);
    ProviderOrigins.loadAll(type, this::register);
  }
}
