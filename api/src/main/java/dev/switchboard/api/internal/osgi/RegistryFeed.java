package dev.switchboard.api.internal.osgi;

import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorProvider;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.HealthCheckProvider;
import dev.switchboard.api.spi.HealthCheckRegistry;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import dev.switchboard.api.transport.TransportProvider;
import dev.switchboard.api.transport.TransportRegistry;
import java.time.Duration;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Feeds the default registries ({@link BalancerRegistry#getDefaultRegistry()} and the others) from
 * the OSGi service registry: every {@link BalancerProvider}, {@link ResolverProvider}, {@link
 * CodecProvider}, {@link CompressorProvider}, {@link TransportProvider}, {@link
 * HealthCheckProvider} and {@link TelemetryProvider} service is registered while it is registered,
 * whichever bundle publishes it (the plugin bundles do so as Declarative Services components).
 *
 * <p>Ranking, for providers of the same name: higher OSGi {@code service.ranking} first, then the
 * provider's own {@code priority()}, then the one the registry saw first (see {@link
 * dev.switchboard.api.spi.ProviderRegistry}). Origin: {@code "bundle <symbolic name> <version>"}.
 * Each registry's {@linkplain dev.switchboard.api.spi.ProviderRegistry#feed() feed} becomes {@link
 * dev.switchboard.api.spi.ProviderRegistry.Feed#OSGI}, so that a missing provider's hint names a
 * bundle to start.
 *
 * <p>A provider's service that is unregistered (its bundle stopping, being updated or uninstalled)
 * leaves its registry at once, and the unregistration then waits until the channels and servers
 * using it have let go (closed their leases), at most {@value #RELEASE_TIMEOUT_PROPERTY} ms (a
 * framework or system property; default {@value #DEFAULT_RELEASE_TIMEOUT_MS}), asking those still
 * holding it halfway through to let go now (revocation): see {@link ProviderFeed}. That is what
 * lets a bundle be uninstalled and the framework refreshed under load.
 *
 * <p>Immediate, publishes no service, and binds dynamically: providers come and go while the
 * component stays active. Instantiated by SCR only; outside a framework nothing loads this class
 * and {@link java.util.ServiceLoader} feeds the registries instead (inside one it finds nothing).
 */
@Component(
    immediate = true,
    service = {})
public final class RegistryFeed {
  /**
   * Framework (or system) property: how many milliseconds an unregistering provider service waits
   * for its users to let go; 0 does not wait.
   */
  static final String RELEASE_TIMEOUT_PROPERTY = "switchboard.provider.releaseTimeout";

  /** The default of {@link #RELEASE_TIMEOUT_PROPERTY}, in milliseconds. */
  static final long DEFAULT_RELEASE_TIMEOUT_MS = 5000;

  private static final System.Logger LOG = System.getLogger(RegistryFeed.class.getName());

  private final ProviderFeed<BalancerProvider> balancers;
  private final ProviderFeed<ResolverProvider> resolvers;
  private final ProviderFeed<CodecProvider> codecs;
  private final ProviderFeed<CompressorProvider> compressors;
  private final ProviderFeed<TransportProvider> transports;
  private final ProviderFeed<HealthCheckProvider> healthChecks;
  private final ProviderFeed<TelemetryProvider> telemetry;

  /** Called by SCR with the api bundle's context, before any bind method. */
  @Activate
  public RegistryFeed(BundleContext context) {
    Duration timeout = releaseTimeout(context.getProperty(RELEASE_TIMEOUT_PROPERTY));
    balancers =
        new ProviderFeed<>(context, BalancerRegistry.getDefaultRegistry(), "balancer", timeout);
    resolvers =
        new ProviderFeed<>(context, ResolverRegistry.getDefaultRegistry(), "resolver", timeout);
    codecs = new ProviderFeed<>(context, CodecRegistry.getDefaultRegistry(), "codec", timeout);
    compressors =
        new ProviderFeed<>(context, CompressorRegistry.getDefaultRegistry(), "compressor", timeout);
    transports =
        new ProviderFeed<>(context, TransportRegistry.getDefaultRegistry(), "transport", timeout);
    healthChecks =
        new ProviderFeed<>(
            context, HealthCheckRegistry.getDefaultRegistry(), "health check", timeout);
    telemetry =
        new ProviderFeed<>(context, TelemetryRegistry.getDefaultRegistry(), "telemetry", timeout);
    // Missing providers are now a matter of bundles: the registries' hints say so.
    for (ProviderFeed<?> feed :
        List.of(balancers, resolvers, codecs, compressors, transports, healthChecks, telemetry)) {
      feed.declareFeed();
    }
  }

  /** {@code setting} in milliseconds; the default when absent, negative or not a number. */
  static Duration releaseTimeout(String setting) {
    if (setting != null) {
      try {
        long ms = Long.parseLong(setting.trim());
        if (ms >= 0) {
          return Duration.ofMillis(ms);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}={1} is not a number of milliseconds >= 0; using {2}",
          RELEASE_TIMEOUT_PROPERTY,
          setting,
          DEFAULT_RELEASE_TIMEOUT_MS);
    }
    return Duration.ofMillis(DEFAULT_RELEASE_TIMEOUT_MS);
  }

  /** SCR has unbound everything already; this only guards against a bind it never undid. */
  @Deactivate
  void deactivate() {
    for (ProviderFeed<?> feed :
        List.of(balancers, resolvers, codecs, compressors, transports, healthChecks, telemetry)) {
      feed.removeAll();
    }
  }

  // Each reference binds the ServiceReference only, so SCR does not get the service: the feed
  // gets it and releases it itself (ProviderFeed).

  @Reference(
      service = BalancerProvider.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unbindBalancer",
      updated = "updatedBalancer")
  void bindBalancer(ServiceReference<BalancerProvider> ref) {
    balancers.add(ref);
  }

  void updatedBalancer(ServiceReference<BalancerProvider> ref) {
    balancers.modified(ref);
  }

  void unbindBalancer(ServiceReference<BalancerProvider> ref) {
    balancers.remove(ref);
  }

  @Reference(
      service = ResolverProvider.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unbindResolver",
      updated = "updatedResolver")
  void bindResolver(ServiceReference<ResolverProvider> ref) {
    resolvers.add(ref);
  }

  void updatedResolver(ServiceReference<ResolverProvider> ref) {
    resolvers.modified(ref);
  }

  void unbindResolver(ServiceReference<ResolverProvider> ref) {
    resolvers.remove(ref);
  }

  @Reference(
      service = CodecProvider.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unbindCodec",
      updated = "updatedCodec")
  void bindCodec(ServiceReference<CodecProvider> ref) {
    codecs.add(ref);
  }

  void updatedCodec(ServiceReference<CodecProvider> ref) {
    codecs.modified(ref);
  }

  void unbindCodec(ServiceReference<CodecProvider> ref) {
    codecs.remove(ref);
  }

  @Reference(
      service = CompressorProvider.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unbindCompressor",
      updated = "updatedCompressor")
  void bindCompressor(ServiceReference<CompressorProvider> ref) {
    compressors.add(ref);
  }

  void updatedCompressor(ServiceReference<CompressorProvider> ref) {
    compressors.modified(ref);
  }

  void unbindCompressor(ServiceReference<CompressorProvider> ref) {
    compressors.remove(ref);
  }

  @Reference(
      service = TransportProvider.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unbindTransport",
      updated = "updatedTransport")
  void bindTransport(ServiceReference<TransportProvider> ref) {
    transports.add(ref);
  }

  void updatedTransport(ServiceReference<TransportProvider> ref) {
    transports.modified(ref);
  }

  void unbindTransport(ServiceReference<TransportProvider> ref) {
    transports.remove(ref);
  }

  @Reference(
      service = HealthCheckProvider.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unbindHealthCheck",
      updated = "updatedHealthCheck")
  void bindHealthCheck(ServiceReference<HealthCheckProvider> ref) {
    healthChecks.add(ref);
  }

  void updatedHealthCheck(ServiceReference<HealthCheckProvider> ref) {
    healthChecks.modified(ref);
  }

  void unbindHealthCheck(ServiceReference<HealthCheckProvider> ref) {
    healthChecks.remove(ref);
  }

  @Reference(
      service = TelemetryProvider.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "unbindTelemetry",
      updated = "updatedTelemetry")
  void bindTelemetry(ServiceReference<TelemetryProvider> ref) {
    telemetry.add(ref);
  }

  void updatedTelemetry(ServiceReference<TelemetryProvider> ref) {
    telemetry.modified(ref);
  }

  void unbindTelemetry(ServiceReference<TelemetryProvider> ref) {
    telemetry.remove(ref);
  }
}
