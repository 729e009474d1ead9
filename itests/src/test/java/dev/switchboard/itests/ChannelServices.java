package dev.switchboard.itests;

import dev.switchboard.api.ClientConn;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Channel services published from configuration, inside a framework: a tracker of the {@code
 * ClientConn} service of one name, and waits on its changes (woken by service events, bounded).
 */
final class ChannelServices {
  private ChannelServices() {}

  /** An open tracker of the {@code ClientConn} services named {@code name}; close it after use. */
  static Tracked track(BundleContext ctx, String name) throws InvalidSyntaxException {
    Tracked t = new Tracked(ctx, name);
    t.open();
    return t;
  }

  /** A tracker that wakes {@link #await} on every change. */
  static final class Tracked extends ServiceTracker<ClientConn, ClientConn>
      implements AutoCloseable {
    private final Semaphore changed = new Semaphore(0);
    private final String name;

    private Tracked(BundleContext ctx, String name) throws InvalidSyntaxException {
      super(
          ctx,
          ctx.createFilter(
              "(&(objectClass=" + ClientConn.class.getName() + ")(name=" + name + "))"),
          null);
      this.name = name;
    }

    @Override
    public ClientConn addingService(ServiceReference<ClientConn> reference) {
      ClientConn conn = super.addingService(reference);
      changed.release();
      return conn;
    }

    @Override
    public void modifiedService(ServiceReference<ClientConn> reference, ClientConn service) {
      changed.release();
    }

    @Override
    public void removedService(ServiceReference<ClientConn> reference, ClientConn service) {
      super.removedService(reference, service);
      changed.release();
    }

    /**
     * Waits until the tracked references satisfy {@code condition} (given the current one, or null
     * when there is none); fails after {@link InFramework#TIMEOUT_MS}.
     */
    ServiceReference<ClientConn> await(
        Predicate<ServiceReference<ClientConn>> condition, String what)
        throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(InFramework.TIMEOUT_MS);
      while (true) {
        ServiceReference<ClientConn> ref = getServiceReference();
        if (condition.test(ref)) {
          return ref;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for " + what + " of channel " + name);
        }
        changed.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
      }
    }

    /** Waits for a channel service and returns it. */
    ClientConn awaitChannel() throws InterruptedException {
      return getService(await(r -> r != null, "the service"));
    }

    /** Waits until no channel service of this name is registered. */
    void awaitGone() throws InterruptedException {
      await(r -> r == null, "the service to go");
    }
  }
}
