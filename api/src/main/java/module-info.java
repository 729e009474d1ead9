/**
 * Switchboard's public API and service-provider interfaces. Depends on the JDK only.
 *
 * <p>{@code dev.switchboard.api} holds the values and the client/server programming model; {@code
 * dev.switchboard.api.spi} the balancer, resolver, codec, compressor and health check plug points
 * with their registries; {@code dev.switchboard.api.transport} the transport plug point.
 *
 * <p>Registries are fed by {@link java.util.ServiceLoader} outside OSGi (hence the {@code uses}
 * clauses, which must sit in the module that calls the loader) and by the service registry inside
 * an OSGi framework (a Declarative Services component in the api bundle that tracks provider
 * services; it needs SCR, and no OSGi class is loaded outside a framework).
 */
module dev.switchboard.api {
  // Build-time only: OSGi bundle/versioning annotations read by bnd, never loaded at run time.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;
  // OSGi only: the registry feed in the non-exported dev.switchboard.api.internal.osgi is a
  // Declarative Services component that SCR loads inside a framework; nothing loads it elsewhere.
  requires static org.osgi.service.component.annotations;
  requires static osgi.core;

  exports dev.switchboard.api;
  exports dev.switchboard.api.channelz;
  exports dev.switchboard.api.spi;
  exports dev.switchboard.api.stub;
  exports dev.switchboard.api.transport;
  exports dev.switchboard.api.telemetry;

  uses dev.switchboard.api.spi.BalancerProvider;
  uses dev.switchboard.api.spi.ResolverProvider;
  uses dev.switchboard.api.spi.CodecProvider;
  uses dev.switchboard.api.spi.CompressorProvider;
  uses dev.switchboard.api.transport.TransportProvider;
  uses dev.switchboard.api.spi.HealthCheckProvider;
  uses dev.switchboard.api.telemetry.TelemetryProvider;
}
