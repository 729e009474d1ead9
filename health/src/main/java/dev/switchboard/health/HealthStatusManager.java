package dev.switchboard.health;

import dev.switchboard.api.BindableService;
import dev.switchboard.api.Server;
import dev.switchboard.health.v1.HealthCheckResponse.ServingStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The serving status of a server's services, and the {@code grpc.health.v1.Health} service that
 * reports it (<a href="https://github.com/grpc/grpc/blob/master/doc/health-checking.md">gRPC health
 * checking</a>).
 *
 * <p>The application sets a status per service name with {@link #setStatus} and removes it with
 * {@link #clearStatus}; the empty name {@value #SERVICE_NAME_ALL_SERVICES} is the server's overall
 * status, {@code SERVING} from construction. {@code Check} answers the current status (NOT_FOUND
 * for a name with none); {@code Watch} sends it at once ({@code SERVICE_UNKNOWN} for a name with
 * none) and then every change, until the client cancels.
 *
 * <p>Shutdown: {@link #enterTerminalState()} sets every service NOT_SERVING and ignores later
 * updates. {@link #watchShutdown(Server)} does so when the server's {@code shutdown()} (or {@code
 * shutdownNow()}) is called, before it stops taking calls, and then ends the open {@code Watch}
 * calls (UNAVAILABLE), and any that starts later after its first status, so that clients see
 * NOT_SERVING first and a graceful shutdown is not held up by calls that never end on their own.
 *
 * <p>Bounds: at most {@code maxWatchers} {@code Watch} calls at once ({@value
 * #DEFAULT_MAX_WATCHERS} by default), further ones end with RESOURCE_EXHAUSTED; the service names
 * clients may ask about are therefore at most that many too (a {@code Check} stores nothing). A
 * watcher whose client does not read keeps only the latest status to send, never a queue.
 *
 * <p>Thread-safe; every method may be called from any thread. Statuses are sent to watchers in the
 * order they were set.
 *
 * @since 0.3
 */
public final class HealthStatusManager {
  /** The service name of the server's overall status: the empty string. */
  public static final String SERVICE_NAME_ALL_SERVICES = "";

  /** The default bound on concurrent {@code Watch} calls. */
  public static final int DEFAULT_MAX_WATCHERS = 1000;

  private static final System.Logger LOG = System.getLogger(HealthStatusManager.class.getName());

  private final int maxWatchers;
  private final HealthServiceImpl service;

  private final Object lock = new Object();

  // Guarded by lock.
  private final Map<String, ServingStatus> statuses = new HashMap<>();
  private final Map<String, Set<Watcher>> watchers = new HashMap<>();
  private int watcherCount;
  private boolean terminal;
  private boolean serverShutDown; // watchShutdown's server is shutting down: no new watches

  /** A manager with the overall status SERVING and the default bound on watchers. */
  public HealthStatusManager() {
    this(DEFAULT_MAX_WATCHERS);
  }

  /**
   * A manager with the overall status SERVING.
   *
   * @param maxWatchers the most {@code Watch} calls open at once, at least 1
   * @throws IllegalArgumentException when {@code maxWatchers} is below 1
   */
  public HealthStatusManager(int maxWatchers) {
    if (maxWatchers < 1) {
      throw new IllegalArgumentException("maxWatchers must be at least 1: " + maxWatchers);
    }
    this.maxWatchers = maxWatchers;
    this.service = new HealthServiceImpl(this);
    statuses.put(SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
  }

  /**
   * {@return the {@code grpc.health.v1.Health} service reporting this manager's statuses, to bind
   * to a server; the same instance every time}
   */
  public BindableService getHealthService() {
    return service;
  }

  /**
   * Sets the status of {@code service} and tells its watchers. Ignored (and logged) once in the
   * terminal state.
   *
   * @param service the fully qualified service name, or {@code ""} for the whole server
   * @param status the status; {@code SERVICE_UNKNOWN} and {@code UNRECOGNIZED} are refused
   * @throws IllegalArgumentException when {@code status} is not one a server sets
   */
  public void setStatus(String service, ServingStatus status) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(status, "status");
    if (status == ServingStatus.SERVICE_UNKNOWN || status == ServingStatus.UNRECOGNIZED) {
      throw new IllegalArgumentException("not a status to set: " + status);
    }
    synchronized (lock) {
      if (terminal) {
        LOG.log(
            System.Logger.Level.INFO,
            "terminal state: ignoring status {0} for ''{1}''",
            status,
            service);
        return;
      }
      update(service, status);
    }
  }

  /**
   * Removes the status of {@code service}: {@code Check} answers NOT_FOUND for it, watchers get
   * {@code SERVICE_UNKNOWN}. Ignored (and logged) once in the terminal state.
   *
   * @param service the fully qualified service name, or {@code ""} for the whole server
   */
  public void clearStatus(String service) {
    Objects.requireNonNull(service, "service");
    synchronized (lock) {
      if (terminal) {
        LOG.log(System.Logger.Level.INFO, "terminal state: not clearing ''{0}''", service);
        return;
      }
      update(service, null);
    }
  }

  /**
   * Sets every service NOT_SERVING and ignores later {@link #setStatus} and {@link #clearStatus}
   * calls: for a server about to shut down. Idempotent.
   */
  public void enterTerminalState() {
    synchronized (lock) {
      if (terminal) {
        return;
      }
      terminal = true;
      for (String name : List.copyOf(statuses.keySet())) {
        update(name, ServingStatus.NOT_SERVING);
      }
    }
  }

  /**
   * Follows {@code server}'s shutdown: when its {@code shutdown()} or {@code shutdownNow()} is
   * first called, and before it stops taking calls, enters the terminal state (every watcher gets
   * NOT_SERVING) and ends the open {@code Watch} calls with UNAVAILABLE. At once when the server is
   * shut down already.
   *
   * @param server the server serving {@link #getHealthService()}
   */
  public void watchShutdown(Server server) {
    server.onShutdown(this::serverShuttingDown);
  }

  private void serverShuttingDown() {
    enterTerminalState();
    List<Watcher> all = new ArrayList<>();
    synchronized (lock) {
      serverShutDown = true;
      for (Set<Watcher> set : watchers.values()) {
        all.addAll(set);
      }
      watchers.clear();
      watcherCount = 0;
    }
    for (Watcher w : all) {
      w.finish();
    }
  }

  /** The status of {@code service}, or {@code null} when it has none: for {@code Check}. */
  ServingStatus status(String service) {
    synchronized (lock) {
      return statuses.get(service);
    }
  }

  /**
   * Adds a watcher of {@code service} and sends it the current status.
   *
   * @return false when the bound on watchers is reached (the watcher is not added)
   */
  boolean addWatcher(String service, Watcher watcher) {
    synchronized (lock) {
      if (serverShutDown) {
        // A watch that comes in after the shutdown began (a client watching again at once) hears
        // NOT_SERVING and ends too, or it would hold the graceful shutdown up.
        ServingStatus current = statuses.get(service);
        watcher.send(current == null ? ServingStatus.SERVICE_UNKNOWN : current);
        watcher.finish();
        return true;
      }
      if (watcherCount >= maxWatchers) {
        return false;
      }
      watcherCount++;
      watchers.computeIfAbsent(service, k -> new LinkedHashSet<>()).add(watcher);
      ServingStatus current = statuses.get(service);
      watcher.send(current == null ? ServingStatus.SERVICE_UNKNOWN : current);
      return true;
    }
  }

  /** The watcher's call ended. */
  void removeWatcher(String service, Watcher watcher) {
    synchronized (lock) {
      Set<Watcher> set = watchers.get(service);
      if (set != null && set.remove(watcher)) {
        watcherCount--;
        if (set.isEmpty()) {
          watchers.remove(service);
        }
      }
    }
  }

  /** Records the status ({@code null}: none) and tells the watchers of a change. Under lock. */
  private void update(String service, ServingStatus status) {
    ServingStatus old = status == null ? statuses.remove(service) : statuses.put(service, status);
    if (old == status) {
      return;
    }
    Set<Watcher> set = watchers.get(service);
    if (set != null) {
      ServingStatus sent = status == null ? ServingStatus.SERVICE_UNKNOWN : status;
      for (Watcher w : set) {
        w.send(sent);
      }
    }
  }
}
