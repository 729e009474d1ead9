package dev.switchboard.osgi.channel.internal;

import dev.switchboard.api.ClientInterceptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The {@link ClientInterceptor} services an LDAP filter selects, ordered for a chain: highest
 * {@code service.ranking} first, then the oldest (lowest {@code service.id}). {@link #current()} is
 * an immutable list, replaced on every change, for {@link InterceptorChain}. {@link #select}
 * changes the filter: the new selection replaces the old one in one step.
 *
 * <p>Owned by one channel configuration's component, which selects and closes it. Thread-safe: the
 * framework's service events and the component's calls are serialized on this object.
 */
final class InterceptorTracker implements AutoCloseable {
  private final BundleContext context;

  private volatile List<ClientInterceptor> current = List.of();

  // Guarded by this.
  private Selection active;
  private String filter;

  InterceptorTracker(BundleContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /** {@return the selected interceptors, in chain order; immutable} */
  List<ClientInterceptor> current() {
    return current;
  }

  /**
   * Selects the interceptor services {@code filter} matches, or none for {@code null}.
   *
   * @throws IllegalArgumentException when {@code filter} is not a valid LDAP filter
   */
  synchronized void select(String filter) {
    if (Objects.equals(filter, this.filter)) {
      return;
    }
    Selection previous = active;
    Selection next = filter == null ? null : new Selection(filter);
    active = next;
    this.filter = filter;
    if (next != null) {
      next.tracker.open(); // adds the services already registered, publishing once opened
    }
    publish(next);
    if (previous != null) {
      previous.tracker.close();
    }
  }

  /** Stops tracking; the last list stays in {@link #current()} for calls still being created. */
  @Override
  public synchronized void close() {
    Selection previous = active;
    active = null;
    filter = null;
    if (previous != null) {
      previous.tracker.close();
    }
  }

  private void publish(Selection selection) {
    current = selection == null ? List.of() : selection.ordered();
  }

  /** The services one filter selects. */
  private final class Selection
      implements ServiceTrackerCustomizer<ClientInterceptor, ClientInterceptor> {
    final ServiceTracker<ClientInterceptor, ClientInterceptor> tracker;

    // Guarded by InterceptorTracker.this.
    private final Map<ServiceReference<ClientInterceptor>, ClientInterceptor> services =
        new HashMap<>();

    Selection(String filter) {
      try {
        tracker =
            new ServiceTracker<>(
                context,
                context.createFilter(
                    "(&(objectClass=" + ClientInterceptor.class.getName() + ")" + filter + ")"),
                this);
      } catch (InvalidSyntaxException e) {
        throw new IllegalArgumentException("invalid interceptor filter: " + e.getMessage(), e);
      }
    }

    List<ClientInterceptor> ordered() {
      List<ServiceReference<ClientInterceptor>> refs = new ArrayList<>(services.keySet());
      refs.sort((a, b) -> b.compareTo(a)); // ServiceReference orders by ranking, then age
      List<ClientInterceptor> out = new ArrayList<>(refs.size());
      refs.forEach(r -> out.add(services.get(r)));
      return List.copyOf(out);
    }

    @Override
    public ClientInterceptor addingService(ServiceReference<ClientInterceptor> reference) {
      ClientInterceptor service = context.getService(reference);
      if (service == null) {
        return null;
      }
      synchronized (InterceptorTracker.this) {
        services.put(reference, service);
        if (active == this) {
          publish(this);
        }
      }
      return service;
    }

    @Override
    public void modifiedService(
        ServiceReference<ClientInterceptor> reference, ClientInterceptor service) {
      synchronized (InterceptorTracker.this) {
        if (active == this) {
          publish(this); // the ranking may have changed
        }
      }
    }

    @Override
    public void removedService(
        ServiceReference<ClientInterceptor> reference, ClientInterceptor service) {
      synchronized (InterceptorTracker.this) {
        services.remove(reference);
        if (active == this) {
          publish(this);
        }
      }
      context.ungetService(reference);
    }
  }
}
