package dev.switchboard.itests;

import static org.junit.Assert.assertNotNull;

import dev.switchboard.api.BindableService;
import dev.switchboard.api.Server;
import dev.switchboard.osgi.server.WhiteboardConstants;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Helpers for the tests of servers from Configuration Admin (inside Felix): the extra bundles,
 * creating a server configuration, waiting for its {@link Server} service (woken by service events,
 * bounded by {@link InFramework#TIMEOUT_MS}), and registering whiteboard services.
 */
final class ConfiguredServers {
  private ConfiguredServers() {}

  /**
   * What the configuration tests add to {@link FelixOptions#switchboard}: Configuration Admin, and
   * Metatype with the log API it imports.
   */
  static Option[] options(Option... extra) {
    List<Option> all = new ArrayList<>();
    all.add(FelixOptions.jar("org.apache.felix.configadmin"));
    all.add(FelixOptions.jar("org.osgi.service.log"));
    all.add(FelixOptions.jar("org.apache.felix.metatype"));
    all.addAll(List.of(extra));
    return FelixOptions.switchboard(all.toArray(Option[]::new));
  }

  static ConfigurationAdmin configAdmin(BundleContext ctx) throws InterruptedException {
    ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> t =
        new ServiceTracker<>(ctx, ConfigurationAdmin.class, null);
    t.open();
    try {
      assertNotNull("Configuration Admin is running", t.waitForService(InFramework.TIMEOUT_MS));
      // Got for the probe itself: Felix's is a service factory whose object stops working once
      // the tracker's use of it is released.
      return ctx.getService(t.getServiceReference());
    } finally {
      t.close();
    }
  }

  /** Creates (or updates) the named server configuration, bound to no bundle ("?"). */
  static Configuration create(BundleContext ctx, String name, Map<String, ?> properties)
      throws IOException, InterruptedException {
    Configuration c =
        configAdmin(ctx).getFactoryConfiguration(WhiteboardConstants.SERVER_FACTORY_PID, name, "?");
    c.update(dictionary(properties));
    return c;
  }

  static Dictionary<String, Object> dictionary(Map<String, ?> properties) {
    Hashtable<String, Object> d = new Hashtable<>();
    properties.forEach(d::put);
    return d;
  }

  /**
   * Waits for the {@link Server} service of configuration {@code pid} matching {@code filter} (an
   * LDAP filter over its properties, or "" for any).
   */
  static ServiceReference<Server> awaitServer(BundleContext ctx, String pid, String filter)
      throws Exception {
    String f =
        "(&("
            + Constants.OBJECTCLASS
            + "="
            + Server.class.getName()
            + ")("
            + Constants.SERVICE_PID
            + "="
            + pid
            + ")"
            + filter
            + ")";
    ServiceTracker<Server, Server> t = new ServiceTracker<>(ctx, ctx.createFilter(f), null);
    t.open();
    try {
      Server s = t.waitForService(InFramework.TIMEOUT_MS);
      assertNotNull("a server service " + f, s);
      return t.getServiceReference();
    } finally {
      t.close();
    }
  }

  /** The bound port a server service publishes. */
  static int port(ServiceReference<Server> ref) {
    return (Integer) ref.getProperty(WhiteboardConstants.SERVER_PORT);
  }

  /**
   * Registers {@code service} for the whiteboard with the default marker (and extra properties).
   */
  static ServiceRegistration<BindableService> register(
      BundleContext ctx, BindableService service, Object... keyValues) {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(WhiteboardConstants.WHITEBOARD_PROPERTY, "true");
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put((String) keyValues[i], keyValues[i + 1]);
    }
    return ctx.registerService(BindableService.class, service, props);
  }

  /** Whether nothing accepts TCP connections on 127.0.0.1:{@code port}. */
  static boolean refuses(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      return false;
    } catch (ConnectException refused) {
      return true;
    }
  }

  /** Waits for a server to terminate; true when it did within the timeout. */
  static boolean terminated(Server server) throws InterruptedException {
    return server.awaitTermination(InFramework.TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
