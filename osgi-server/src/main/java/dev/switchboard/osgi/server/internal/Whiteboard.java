package dev.switchboard.osgi.server.internal;

import dev.switchboard.api.BindableService;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServiceDefinition;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * One server's view of the whiteboard: tracks every {@link BindableService} and {@link
 * ServerInterceptor} service in the framework and feeds those its target filter matches to a {@link
 * ServiceBinder}. The target can change while it runs ({@link #retarget}): services that match both
 * the old and the new filter stay bound throughout.
 *
 * <p>A service object is got (and its {@link BindableService#bindService()} called) only when its
 * service first matches, and released when its service is unregistered or the whiteboard closes. A
 * {@code bindService()} that throws or returns null is logged (WARNING) and the service is not
 * bound; a later change of its properties tries again.
 *
 * <p>Threads: tracker callbacks come on the threads that register, modify and unregister services,
 * {@link #retarget} on Configuration Admin's. {@link #lock} orders the match decisions and the
 * binder's updates; the framework's {@code getService} and the user's {@code bindService()} run
 * outside it.
 */
final class Whiteboard {
  private static final System.Logger LOG = System.getLogger(Whiteboard.class.getName());

  private final BundleContext context;
  private final ServiceBinder binder;
  private final String label;
  private final Object lock = new Object();
  private final ServiceTracker<BindableService, Tracked> services;
  private final ServiceTracker<ServerInterceptor, Tracked> interceptors;

  // Guarded by lock.
  private Filter target;

  /**
   * @param context the server bundle's context
   * @param target the filter services must match
   * @param binder where matching services go
   * @param label the server's name in log messages
   * @throws IllegalArgumentException when {@code target} is not a filter
   */
  Whiteboard(BundleContext context, String target, ServiceBinder binder, String label) {
    this.context = context;
    this.binder = binder;
    this.label = label;
    this.target = filter(context, target);
    services = new ServiceTracker<>(context, BindableService.class, new Customizer<>(false));
    interceptors = new ServiceTracker<>(context, ServerInterceptor.class, new Customizer<>(true));
  }

  /** Starts tracking: binds what matches now. */
  void open() {
    interceptors.open();
    services.open();
  }

  /** Stops tracking and releases every service object; the binder is left as it was. */
  void close() {
    services.close();
    interceptors.close();
  }

  /**
   * Uses {@code newTarget} from now on: services it matches are bound first, then those it no
   * longer matches are unbound.
   *
   * @throws IllegalArgumentException when {@code newTarget} is not a filter
   */
  void retarget(String newTarget) {
    Filter next = filter(context, newTarget);
    synchronized (lock) {
      if (next.equals(target)) {
        return;
      }
      target = next;
    }
    List<Tracked> all = new ArrayList<>();
    all.addAll(interceptors.getTracked().values());
    all.addAll(services.getTracked().values());
    for (Tracked t : all) {
      if (next.match(t.ref)) {
        refresh(t);
      }
    }
    for (Tracked t : all) {
      if (!next.match(t.ref)) {
        refresh(t);
      }
    }
  }

  private static Filter filter(BundleContext context, String target) {
    try {
      return context.createFilter(target);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("not an LDAP filter: " + target, e);
    }
  }

  /** Brings the binder in line with {@code t}: bound when it matches and its object is ready. */
  private void refresh(Tracked t) {
    while (true) {
      synchronized (lock) {
        if (t.removed) {
          return;
        }
        if (!target.match(t.ref)) {
          unbind(t);
          return;
        }
        if (t.failed) {
          return;
        }
        if (t.obtained) {
          bind(t);
          return;
        }
      }
      t.obtain(); // outside the lock: may activate a component, calls user code
    }
  }

  private void bind(Tracked t) {
    long id = t.id();
    int ranking = t.ranking();
    if (t.interceptor) {
      binder.putInterceptor(new ServiceBinder.Interceptor(id, ranking, t.interceptorObject));
    } else {
      binder.putService(new ServiceBinder.Candidate(id, ranking, t.definition));
    }
  }

  private void unbind(Tracked t) {
    if (t.interceptor) {
      binder.removeInterceptor(t.id());
    } else {
      binder.removeService(t.id());
    }
  }

  /** One tracked service: its reference and, once it matched, its object. */
  private final class Tracked {
    final ServiceReference<?> ref;
    final boolean interceptor;

    /** Set under {@link #lock}; read under this object's monitor too. */
    volatile boolean removed;

    // Guarded by this object's monitor; read under the whiteboard's lock once published.
    volatile boolean obtained;
    volatile boolean failed;
    ServiceDefinition definition;
    ServerInterceptor interceptorObject;

    Tracked(ServiceReference<?> ref, boolean interceptor) {
      this.ref = ref;
      this.interceptor = interceptor;
    }

    long id() {
      return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    int ranking() {
      return ref.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    /** Gets the service object (and its definition) once; a failure is logged and remembered. */
    synchronized void obtain() {
      if (obtained || failed || removed) {
        failed |= removed; // gone: nothing to get, and refresh must stop looping
        return;
      }
      Object service = context.getService(ref);
      if (service == null) {
        failed = true; // unregistered meanwhile, or its factory failed (the framework logs that)
        return;
      }
      try {
        if (interceptor) {
          interceptorObject = (ServerInterceptor) service;
        } else {
          ServiceDefinition d = ((BindableService) service).bindService();
          if (d == null) {
            throw new IllegalStateException("bindService() returned null");
          }
          definition = d;
        }
        obtained = true;
      } catch (RuntimeException | LinkageError e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "server " + label + ": cannot bind whiteboard service " + describe(ref) + ": " + e,
            e);
        context.ungetService(ref);
        failed = true;
      }
    }

    /** Releases the service object, if got. */
    synchronized void release() {
      if (obtained) {
        obtained = false;
        definition = null;
        interceptorObject = null;
        context.ungetService(ref);
      }
    }
  }

  private static String describe(ServiceReference<?> ref) {
    return "service.id=" + ref.getProperty(Constants.SERVICE_ID) + " of bundle " + ref.getBundle();
  }

  private final class Customizer<S> implements ServiceTrackerCustomizer<S, Tracked> {
    private final boolean interceptor;

    Customizer(boolean interceptor) {
      this.interceptor = interceptor;
    }

    @Override
    public Tracked addingService(ServiceReference<S> reference) {
      Tracked t = new Tracked(reference, interceptor);
      refresh(t);
      return t;
    }

    @Override
    public void modifiedService(ServiceReference<S> reference, Tracked t) {
      synchronized (t) {
        t.failed = false; // a service that failed gets another try with its new properties
      }
      refresh(t);
    }

    @Override
    public void removedService(ServiceReference<S> reference, Tracked t) {
      synchronized (lock) {
        t.removed = true;
        unbind(t);
      }
      t.release();
    }
  }
}
