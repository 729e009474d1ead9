package dev.switchboard.distribution.demo;

import dev.switchboard.api.BindableService;
import dev.switchboard.api.Server;
import dev.switchboard.osgi.server.WhiteboardConstants;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Greeter backends, the OSGi way: one {@code dev.switchboard.server} factory configuration per
 * backend (127.0.0.1, port 0), each with a {@code whiteboard.target} that picks the Greeter service
 * this bundle registers for that backend ({@code demo.backend=backend-N}) as a whiteboard {@link
 * BindableService}. The servers belong to the osgi-server bundle; the demo only configures them,
 * reads their ports from their {@link Server} services, and withdraws and republishes the Greeter
 * services.
 */
final class DemoBackends {
  /** The service property naming the backend a Greeter service is for. */
  static final String BACKEND_PROPERTY = "demo.backend";

  private final BundleContext ctx;
  private final ConfigurationAdmin configAdmin;
  private final List<String> names = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Server> servers = new ArrayList<>();
  private final List<Configuration> configurations = new ArrayList<>();
  private final List<ServiceRegistration<BindableService>> greeters = new ArrayList<>();

  DemoBackends(BundleContext ctx, ConfigurationAdmin configAdmin) {
    this.ctx = ctx;
    this.configAdmin = configAdmin;
  }

  /**
   * Publishes the Greeter services and configures {@code count} servers, then waits (up to {@code
   * timeoutS} seconds each) for their {@link Server} services and returns one line per backend.
   */
  List<String> start(int count, long timeoutS) throws IOException, InterruptedException {
    for (int i = 1; i <= count; i++) {
      names.add("backend-" + i);
    }
    publishGreeters();
    List<String> lines = new ArrayList<>();
    for (String name : names) {
      String target =
          "(&("
              + WhiteboardConstants.WHITEBOARD_PROPERTY
              + "=true)("
              + BACKEND_PROPERTY
              + "="
              + name
              + "))";
      Configuration c =
          configAdmin.createFactoryConfiguration(WhiteboardConstants.SERVER_FACTORY_PID, "?");
      Hashtable<String, Object> props = new Hashtable<>();
      props.put(WhiteboardConstants.HOST, "127.0.0.1");
      props.put(WhiteboardConstants.PORT, 0);
      props.put(WhiteboardConstants.WHITEBOARD_TARGET, target);
      c.update(props);
      configurations.add(c);
      Server server = awaitServer(c.getPid(), timeoutS);
      servers.add(server);
      int port = server.port();
      ports.add(port);
      lines.add(
          String.format(
              "%s listening on 127.0.0.1:%d (configuration %s, %s = %s)",
              name, port, c.getPid(), WhiteboardConstants.WHITEBOARD_TARGET, target));
    }
    return lines;
  }

  /** The backends' names, in order. */
  List<String> names() {
    return List.copyOf(names);
  }

  /** A {@code static:} target listing every backend. */
  String target() {
    StringBuilder b = new StringBuilder("static:///");
    for (int i = 0; i < ports.size(); i++) {
      b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(i));
    }
    return b.toString();
  }

  /**
   * Registers one Greeter service per backend for the whiteboard; each server binds its own at once
   * (on this thread, in the registration's service event).
   */
  void publishGreeters() {
    for (String name : names) {
      Hashtable<String, Object> props = new Hashtable<>();
      props.put(WhiteboardConstants.WHITEBOARD_PROPERTY, "true");
      props.put(BACKEND_PROPERTY, name);
      greeters.add(ctx.registerService(BindableService.class, new DemoGreeter(name), props));
    }
  }

  /**
   * Unregisters the Greeter services: each server unbinds its own at once; calls already running
   * finish, later ones get UNIMPLEMENTED.
   */
  void withdrawGreeters() {
    for (ServiceRegistration<BindableService> r : greeters) {
      try {
        r.unregister();
      } catch (IllegalStateException alreadyGone) {
        // The bundle is stopping: the framework unregistered it.
      }
    }
    greeters.clear();
  }

  /**
   * Withdraws the Greeters and deletes the server configurations, then waits up to {@code timeoutS}
   * seconds for each server to terminate (their shutdown is graceful).
   */
  void close(long timeoutS) throws InterruptedException {
    withdrawGreeters();
    for (Configuration c : configurations) {
      try {
        c.delete();
      } catch (IOException | IllegalStateException e) {
        // Configuration Admin is stopping with the framework: the servers stop all the same.
      }
    }
    configurations.clear();
    for (Server s : servers) {
      s.awaitTermination(timeoutS, TimeUnit.SECONDS);
    }
  }

  /** Waits for the {@link Server} service of configuration {@code pid}. */
  private Server awaitServer(String pid, long timeoutS) throws InterruptedException {
    String filter =
        "(&("
            + Constants.OBJECTCLASS
            + "="
            + Server.class.getName()
            + ")("
            + Constants.SERVICE_PID
            + "="
            + pid
            + "))";
    ServiceTracker<Server, Server> t;
    try {
      t = new ServiceTracker<>(ctx, ctx.createFilter(filter), null);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(filter, e);
    }
    t.open();
    try {
      Server server = t.waitForService(TimeUnit.SECONDS.toMillis(timeoutS));
      if (server == null) {
        throw new IllegalStateException(
            "no server for configuration " + pid + " after " + timeoutS + " s");
      }
      return server;
    } finally {
      t.close();
    }
  }
}
