package dev.switchboard.osgi.channel.internal;

import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientConn;
import dev.switchboard.osgi.channel.ChannelProperties;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One channel configuration (factory PID {@value ChannelProperties#FACTORY_PID}) and the channel it
 * publishes: SCR creates one instance per configuration, calls {@link #modified} on every update
 * and deactivates it when the configuration is deleted.
 *
 * <ul>
 *   <li>Activation creates the channel ({@link ChannelDialer}) and registers it as a {@link
 *       ClientConn} and {@link Channel} service with the configuration's properties.
 *   <li>An update that keeps the {@link ChannelSettings.Connection} applies live: a new default
 *       service config through {@link ClientConn#updateDefaultServiceConfig} (a graceful switch), a
 *       new interceptor filter through the {@link InterceptorTracker}, new properties through
 *       {@link ServiceRegistration#setProperties}. Any other update creates a new channel and
 *       publishes it, then unregisters the old one and {@linkplain Retirements retires} it.
 *   <li>Deletion unregisters the channel and retires it; a bundle stopping shuts it down at once
 *       (gracefully).
 *   <li>A configuration that cannot be used is logged as an ERROR and changes nothing.
 * </ul>
 *
 * <p>SCR serializes the calls of one instance; they are synchronized all the same.
 */
@Component(
    configurationPid = ChannelProperties.FACTORY_PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = {})
@Designate(ocd = ChannelConfiguration.class, factory = true)
public final class ChannelComponent {
  private static final System.Logger LOG = System.getLogger(ChannelComponent.class.getName());

  /** Declarative Services' deactivation reasons for a modified and a deleted configuration. */
  private static final int CONFIGURATION_MODIFIED = 3;

  private static final int CONFIGURATION_DELETED = 4;

  private static final String[] SERVICES = {ClientConn.class.getName(), Channel.class.getName()};

  private final Retirements retirements = new Retirements();
  private BundleContext context;
  private InterceptorTracker interceptors;
  private String pid;

  /** The published channel, or null while no usable configuration has been seen. */
  private Published current;

  private record Published(
      ChannelSettings settings, ClientConn conn, ServiceRegistration<?> registration) {}

  /** Public no-arg constructor for SCR. */
  public ChannelComponent() {}

  @Activate
  synchronized void activate(BundleContext context, Map<String, Object> properties) {
    this.context = context;
    this.pid = String.valueOf(properties.get("service.pid"));
    this.interceptors = new InterceptorTracker(context);
    apply(properties);
  }

  @Modified
  synchronized void modified(Map<String, Object> properties) {
    apply(properties);
  }

  @Deactivate
  synchronized void deactivate(int reason) {
    boolean configurationGone = reason == CONFIGURATION_DELETED || reason == CONFIGURATION_MODIFIED;
    if (!configurationGone) {
      retirements.shutdownAll(); // the bundle or SCR is stopping: no more waiting
    }
    Published published = current;
    current = null;
    if (published == null) {
      interceptors.close();
      return;
    }
    unregister(published);
    if (configurationGone) {
      LOG.log(
          System.Logger.Level.INFO,
          "channel {0}: configuration {1} gone; unregistered, shutting down in {2}",
          published.settings().name(),
          pid,
          published.settings().retireDelay());
      retirements.retire(
          published.settings().name(),
          published.conn(),
          published.settings().retireDelay(),
          interceptors::close);
    } else {
      published.conn().shutdown();
      interceptors.close();
    }
  }

  private void apply(Map<String, ?> properties) {
    ChannelSettings next;
    try {
      next = ChannelSettings.parse(properties);
    } catch (IllegalArgumentException e) {
      rejected(e);
      return;
    }
    for (String warning : next.warnings()) {
      LOG.log(System.Logger.Level.WARNING, "channel {0} ({1}): {2}", next.name(), pid, warning);
    }
    try {
      if (current == null) {
        current = publish(next);
      } else if (current.settings().needsNewChannel(next) || current.conn().isShutdown()) {
        // Also when a consumer shut the shared channel down: the update brings a working one.
        replace(next);
      } else {
        updateLive(next);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      rejected(e);
    }
  }

  /** Creates and registers a channel for {@code settings}. */
  private Published publish(ChannelSettings settings) {
    ClientConn conn = ChannelDialer.dial(settings, new InterceptorChain(interceptors::current));
    ServiceRegistration<?> registration;
    try {
      if (settings.defaultServiceConfig() != null) {
        // Dialing checks the config's syntax only; this checks it as a live update would (the
        // loadBalancingConfig's shape, deployed policies' own configs), and changes nothing.
        updateDefaultServiceConfig(conn, settings.defaultServiceConfig());
      }
      interceptors.select(settings.interceptorFilter());
      registration =
          context.registerService(SERVICES, conn, new Hashtable<>(settings.serviceProperties()));
    } catch (RuntimeException e) {
      conn.shutdownNow();
      throw e;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "channel {0} to {1}: published ({2})",
        settings.name(),
        conn.target(),
        pid);
    return new Published(settings, conn, registration);
  }

  /** Publishes a new channel, then unregisters and retires the current one. */
  private void replace(ChannelSettings next) {
    Published old = current;
    current = publish(next);
    unregister(old);
    LOG.log(
        System.Logger.Level.INFO,
        "channel {0}: replaced by a new channel to {1}; the old one to {2} shuts down in {3}",
        next.name(),
        next.connection().target(),
        old.conn().target(),
        next.retireDelay());
    retirements.retire(old.settings().name(), old.conn(), next.retireDelay(), () -> {});
  }

  /** Applies {@code next} to the running channel. */
  private void updateLive(ChannelSettings next) {
    Published cur = current;
    if (!Objects.equals(cur.settings().defaultServiceConfig(), next.defaultServiceConfig())) {
      updateDefaultServiceConfig(cur.conn(), next.defaultServiceConfig()); // checks it first
    }
    interceptors.select(next.interceptorFilter());
    if (!cur.settings().serviceProperties().equals(next.serviceProperties())) {
      cur.registration().setProperties(new Hashtable<>(next.serviceProperties()));
    }
    current = new Published(next, cur.conn(), cur.registration());
    LOG.log(System.Logger.Level.INFO, "channel {0}: configuration applied live", next.name());
  }

  /** {@link ClientConn#updateDefaultServiceConfig}, its refusal naming the property. */
  private static void updateDefaultServiceConfig(ClientConn conn, String json) {
    try {
      conn.updateDefaultServiceConfig(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          ChannelProperties.DEFAULT_SERVICE_CONFIG + ": " + e.getMessage(), e);
    }
  }

  private void rejected(RuntimeException e) {
    Published cur = current;
    LOG.log(
        System.Logger.Level.ERROR,
        "channel configuration {0} rejected: {1}; {2}",
        pid,
        e.getMessage(),
        cur == null
            ? "no channel is created"
            : "channel " + cur.settings().name() + " to " + cur.conn().target() + " is unchanged");
  }

  private static void unregister(Published published) {
    try {
      published.registration().unregister();
    } catch (IllegalStateException e) {
      // Already unregistered: the bundle is stopping.
    }
  }
}
