package dev.switchboard.distribution.demo;

import dev.switchboard.api.ClientConn;
import dev.switchboard.osgi.channel.ChannelProperties;
import java.io.IOException;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The demo's channel, the OSGi way: a {@code dev.switchboard.channel} factory configuration that
 * the osgi-channel bundle turns into a {@link ClientConn} service, looked up here by its {@code
 * name} property. Updating the configuration's {@code default.service.config} switches the live
 * channel's policy (the same channel, the same service).
 */
final class DemoChannel {
  /** The channel's name: its configuration's {@code name}, its service's property. */
  static final String NAME = "demo";

  private final ConfigurationAdmin configAdmin;
  private final ServiceTracker<ClientConn, ClientConn> tracker;
  private Configuration configuration;
  private ClientConn channel;
  private Hashtable<String, Object> properties;

  DemoChannel(BundleContext ctx, ConfigurationAdmin configAdmin) {
    this.configAdmin = configAdmin;
    String filter =
        "(&("
            + Constants.OBJECTCLASS
            + "="
            + ClientConn.class.getName()
            + ")("
            + ChannelProperties.NAME
            + "="
            + NAME
            + "))";
    try {
      this.tracker = new ServiceTracker<>(ctx, ctx.createFilter(filter), null);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(filter, e);
    }
    tracker.open();
  }

  /**
   * Creates the configuration (plaintext, {@code target}, {@code serviceConfig}) and waits up to
   * {@code timeoutS} seconds for the channel service.
   *
   * @return the channel
   */
  ClientConn create(String target, String serviceConfig, long timeoutS)
      throws IOException, InterruptedException {
    properties = new Hashtable<>();
    properties.put(ChannelProperties.NAME, NAME);
    properties.put(ChannelProperties.TARGET, target);
    properties.put(ChannelProperties.PLAINTEXT, "true");
    properties.put(ChannelProperties.DEFAULT_SERVICE_CONFIG, serviceConfig);
    configuration = configAdmin.createFactoryConfiguration(ChannelProperties.FACTORY_PID, "?");
    configuration.update(properties);
    channel = tracker.waitForService(TimeUnit.SECONDS.toMillis(timeoutS));
    if (channel == null) {
      throw new IllegalStateException(
          "no channel service (name=" + NAME + ") after " + timeoutS + " s");
    }
    return channel;
  }

  /** The configuration's PID, for messages. */
  String pid() {
    return configuration.getPid();
  }

  /**
   * Updates the configuration's {@code default.service.config}; Configuration Admin delivers the
   * change asynchronously and the channel switches to the new policy gracefully.
   */
  void updateServiceConfig(String serviceConfig) throws IOException {
    properties.put(ChannelProperties.DEFAULT_SERVICE_CONFIG, serviceConfig);
    configuration.update(properties);
  }

  /**
   * Stops tracking and deletes the configuration, then waits up to {@code timeoutS} seconds for the
   * channel to terminate (it is retired: unregistered, then shut down gracefully after its {@code
   * retire.delay}).
   */
  void close(long timeoutS) throws InterruptedException {
    tracker.close();
    if (configuration != null) {
      try {
        configuration.delete();
      } catch (IOException | IllegalStateException e) {
        // Configuration Admin is stopping with the framework: the channel closes all the same.
      }
    }
    if (channel != null) {
      channel.awaitTermination(timeoutS, TimeUnit.SECONDS);
    }
  }
}
