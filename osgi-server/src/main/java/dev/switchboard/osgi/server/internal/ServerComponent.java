package dev.switchboard.osgi.server.internal;

import dev.switchboard.api.Server;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.transport.TransportProvider;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.osgi.server.WhiteboardConstants;
import dev.switchboard.server.Servers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One gRPC server per factory configuration of {@value WhiteboardConstants#SERVER_FACTORY_PID}:
 * Declarative Services creates an instance for each configuration, updates it and deactivates it
 * when the configuration is deleted (or the bundle stops).
 *
 * <ul>
 *   <li><b>Activate</b>: reads the configuration ({@link ServerSettings}), builds the server, binds
 *       the whiteboard services its target matches ({@link Whiteboard}), starts it, and publishes
 *       it as a {@link Server} service with the configuration's properties and {@value
 *       WhiteboardConstants#SERVER_PORT}. Anything wrong is logged (ERROR) and thrown, so DS
 *       reports the component as failed; whatever was built is shut down first.
 *   <li><b>Modified</b>: a change of what the server listens with ({@link
 *       ServerSettings.Listening}) starts a new server with the same services and shuts the old one
 *       down gracefully (its calls finish; clients get a GOAWAY and reconnect). On a new address
 *       the new server starts first, so a failure leaves the old one serving; on the same address
 *       the old one must stop listening first, and if the new one then cannot start, the old
 *       settings are started again. Other changes (target, shutdown timeout, extra properties)
 *       apply live. A bad update is logged and changes nothing.
 *   <li><b>Deactivate</b>: withdraws the service, shuts the server (and any still draining) down
 *       gracefully, waits up to the shutdown timeout for its calls, then cancels the rest, and
 *       releases the whiteboard services.
 *   <li><b>Transport leaving and returning</b> ({@link TransportWatch}): when the transport
 *       provider the server runs on leaves (in OSGi: its bundle stops) and its lease is revoked,
 *       the server has shut down (its calls end UNAVAILABLE or CANCELLED, see {@link Server}); the
 *       component withdraws its service and, as soon as a provider of the configured transport name
 *       is deployed (again), starts a new server with the same settings, on the same address
 *       (retrying the bind briefly while the old listener closes), with the whiteboard's services,
 *       and publishes it. Until then nothing listens. A start that fails then is logged (ERROR) and
 *       tried again at the next transport change.
 * </ul>
 *
 * <p>SCR calls these one at a time, the transport checks run on the component's own thread (created
 * while there is work); the fields are guarded by {@code this}.
 */
@Component(
    name = WhiteboardConstants.SERVER_FACTORY_PID,
    configurationPid = WhiteboardConstants.SERVER_FACTORY_PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = {})
@Designate(ocd = ServerConfiguration.class, factory = true)
public final class ServerComponent {
  private static final System.Logger LOG = System.getLogger(ServerComponent.class.getName());

  /** How long a restart on the same address retries the bind while the old listener closes. */
  private static final long REBIND_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final long REBIND_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final BundleContext context;
  private final String label;
  private final ServiceBinder binder = new ServiceBinder();
  private final Whiteboard whiteboard;
  private final ThreadPoolExecutor checks;
  private final TransportWatch transports;

  // Guarded by this.
  private ServerSettings settings;
  private Map<String, Object> properties;
  private Server server; // null after a restart that could not start anything, or without transport
  private Lease<TransportProvider> transport; // server's provider, to hear of its revocation
  private boolean closed;
  private ServiceRegistration<Server> registration;
  private final List<Server> draining = new ArrayList<>();

  /**
   * Starts the configuration's server; called by SCR.
   *
   * @param context this bundle's context
   * @param properties the configuration
   * @throws IllegalArgumentException when the configuration is bad or the server cannot start;
   *     nothing is left running
   */
  @Activate
  public ServerComponent(BundleContext context, Map<String, Object> properties) {
    this.context = context;
    this.label = label(properties);
    checks =
        new ThreadPoolExecutor(
            1,
            1,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "switchboard-server " + label);
              t.setDaemon(true);
              return t;
            });
    checks.allowCoreThreadTimeOut(true);
    transports =
        new TransportWatch(TransportRegistry.getDefaultRegistry(), checks, this::checkTransport);
    ServerSettings parsed;
    try {
      parsed = ServerSettings.parse(properties);
    } catch (IllegalArgumentException e) {
      throw reported("is invalid, no server started", e);
    }
    whiteboard = new Whiteboard(context, parsed.target(), binder, label);
    whiteboard.open();
    Started started;
    try {
      started = start(parsed.listening(), false);
    } catch (IOException | RuntimeException e) {
      whiteboard.close();
      checks.shutdown();
      throw reported("cannot start a server on " + parsed.listening().address(), e);
    }
    synchronized (this) {
      settings = parsed;
      this.properties = properties;
      use(started);
      register();
    }
    transports.open();
    // A revocation or registration while activating found no settings yet: look once more.
    checks.execute(this::checkTransport);
    LOG.log(
        System.Logger.Level.INFO,
        "Switchboard server " + label + " listening on port " + started.server().port());
  }

  /**
   * Applies a changed configuration; called by SCR.
   *
   * @param properties the new configuration
   */
  @Modified
  synchronized void modified(Map<String, Object> properties) {
    draining.removeIf(Server::isTerminated);
    ServerSettings next;
    try {
      next = ServerSettings.parse(properties);
    } catch (IllegalArgumentException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "Switchboard server configuration "
              + label
              + " update is invalid, the server keeps its settings: "
              + e.getMessage());
      return;
    }
    whiteboard.retarget(next.target());
    if (next.listening().equals(settings.listening()) && server != null) {
      settings = next;
      this.properties = properties;
      registration.setProperties(serviceProperties());
      return;
    }
    restart(next, properties);
  }

  private void restart(ServerSettings next, Map<String, Object> nextProperties) {
    Server old = server;
    boolean sameAddress =
        old != null
            && next.listening().host().equals(settings.listening().host())
            && next.listening().port() == settings.listening().port();
    Started started;
    if (!sameAddress) {
      try {
        started = start(next.listening(), false);
      } catch (IOException | RuntimeException e) {
        binder.attach(old);
        if (old == null) { // nothing to keep: the new settings wait for the next transport change
          settings = next;
          this.properties = nextProperties;
          LOG.log(
              System.Logger.Level.ERROR,
              "Switchboard server " + label + ": nothing listening: " + message(e),
              e);
          return;
        }
        // The target was applied; what the server listens with stays.
        settings = new ServerSettings(settings.listening(), next.target(), next.shutdownTimeout());
        LOG.log(
            System.Logger.Level.ERROR,
            "Switchboard server "
                + label
                + ": cannot start on "
                + next.listening().address()
                + ", the server keeps its settings: "
                + message(e),
            e);
        return;
      }
    } else {
      unregister();
      old.shutdown();
      draining.add(old);
      try {
        started = start(next.listening(), true);
      } catch (IOException | RuntimeException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "Switchboard server "
                + label
                + ": cannot restart with the new settings, starting the previous ones: "
                + message(e),
            e);
        try {
          started = start(settings.listening(), true);
          next = new ServerSettings(settings.listening(), next.target(), next.shutdownTimeout());
        } catch (IOException | RuntimeException again) {
          LOG.log(
              System.Logger.Level.ERROR,
              "Switchboard server " + label + ": nothing listening: " + message(again),
              again);
          binder.attach(null);
          use(null);
          settings = next;
          this.properties = nextProperties;
          return;
        }
      }
    }
    unregister();
    if (old != null && !old.isShutdown()) {
      old.shutdown();
      draining.add(old);
    }
    use(started);
    settings = next;
    this.properties = nextProperties;
    register();
    LOG.log(
        System.Logger.Level.INFO,
        "Switchboard server " + label + " restarted, listening on port " + server.port());
  }

  /**
   * Runs on {@link #checks} when a transport changed ({@link TransportWatch}): withdraws a server
   * whose transport was revoked, and starts one when there is none and its transport is deployed.
   */
  private synchronized void checkTransport() {
    if (closed || settings == null) {
      return;
    }
    draining.removeIf(Server::isTerminated);
    if (server != null && !server.isShutdown() && !transport.isRevoked()) {
      return; // serving
    }
    String name = settings.listening().transport();
    if (server != null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Switchboard server "
              + label
              + ": its transport '"
              + name
              + "' left, the server is down until a transport of that name is deployed");
      unregister();
      server.shutdownNow(); // it did so itself on the revocation, or is doing it
      draining.add(server);
      binder.attach(null);
      use(null);
    }
    if (!transports.deployed(name)) {
      return;
    }
    Started started;
    try {
      started = start(settings.listening(), true);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "Switchboard server "
              + label
              + ": cannot start again on "
              + settings.listening().address()
              + " (tried again at the next transport change): "
              + message(e),
          e);
      return;
    }
    use(started);
    register();
    LOG.log(
        System.Logger.Level.INFO,
        "Switchboard server "
            + label
            + ": transport '"
            + name
            + "' is back, listening on port "
            + server.port());
  }

  /** Makes {@code started} (or nothing) the server, releasing the previous one's lease. */
  private void use(Started started) {
    if (transport != null) {
      transport.close();
    }
    server = started == null ? null : started.server();
    transport = started == null ? null : started.transport();
  }

  /**
   * Stops the server gracefully; called by SCR when the configuration is deleted or the bundle
   * stops.
   *
   * @throws InterruptedException when interrupted while calls finish; they are cancelled then
   */
  @Deactivate
  void deactivate() throws InterruptedException {
    List<Server> all = new ArrayList<>();
    Duration timeout;
    transports.close();
    synchronized (this) {
      closed = true;
      unregister();
      if (server != null) {
        all.add(server);
      }
      all.addAll(draining);
      use(null);
      timeout = settings.shutdownTimeout();
    }
    checks.shutdown(); // a check still queued finds the component closed
    try {
      for (Server s : all) {
        s.shutdown();
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Server s : all) {
        long left = deadline - System.nanoTime();
        if (!s.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          LOG.log(
              System.Logger.Level.WARNING,
              "Switchboard server "
                  + label
                  + ": calls still running after "
                  + timeout
                  + ", cancelling them");
          s.shutdownNow();
        }
      }
    } finally {
      for (Server s : all) {
        s.shutdownNow(); // no-op when terminated; cancels what is left when interrupted
      }
      whiteboard.close();
    }
  }

  /** A started server and a lease on its transport provider that tells of its revocation. */
  private record Started(Server server, Lease<TransportProvider> transport) {}

  /**
   * A new server with the whiteboard's services, started.
   *
   * @param retryBind whether to retry a bind that fails because the old listener is still closing
   */
  private Started start(ServerSettings.Listening listening, boolean retryBind) throws IOException {
    long deadline = System.nanoTime() + REBIND_NANOS;
    boolean retry = retryBind;
    while (true) {
      Lease<TransportProvider> lease = transports.lease(listening.transport());
      Server s = Servers.newServer(listening.toOptions());
      binder.attach(s); // bound before it listens: the first calls find the services
      try {
        s.start();
      } catch (IOException | RuntimeException e) {
        s.shutdownNow();
        if (lease != null) {
          lease.close();
        }
        if (!retry || !addressInUse(e) || System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(REBIND_PAUSE_NANOS);
        continue;
      }
      if (transports.isWinner(lease, listening.transport())) {
        return new Started(s, lease); // the server took the provider leased
      }
      // The transport's winner changed while the server started: start on the new one.
      s.shutdownNow();
      if (lease != null) {
        lease.close();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "transport '" + listening.transport() + "' kept changing while the server started");
      }
      retry = true; // the same address again
    }
  }

  private static boolean addressInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private void register() {
    registration = context.registerService(Server.class, server, serviceProperties());
  }

  private void unregister() {
    if (registration != null) {
      try {
        registration.unregister();
      } catch (IllegalStateException alreadyGone) {
        // the framework unregisters a stopping bundle's services itself
      }
      registration = null;
    }
  }

  /** The configuration's properties, less the key password and DS's own, plus the bound port. */
  private Hashtable<String, Object> serviceProperties() {
    Hashtable<String, Object> out = new Hashtable<>();
    properties.forEach(
        (k, v) -> {
          if (v != null
              && !k.equals(WhiteboardConstants.TLS_KEY_PASSWORD)
              && !k.startsWith("component.")) {
            out.put(k, v);
          }
        });
    out.put(WhiteboardConstants.SERVER_PORT, server.port());
    return out;
  }

  private IllegalArgumentException reported(String what, Exception e) {
    String text = "Switchboard server configuration " + label + " " + what + ": " + message(e);
    LOG.log(System.Logger.Level.ERROR, text);
    return new IllegalArgumentException(text, e);
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static String label(Map<String, Object> properties) {
    Object pid = properties.get("service.pid");
    return pid == null ? String.valueOf(properties.get("component.id")) : pid.toString();
  }
}
