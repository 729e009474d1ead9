package dev.switchboard.api.telemetry;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies call tracers for metrics and tracing (the {@code telemetry-otel} module's provider
 * records gRFC A66 metrics and A72 spans through OpenTelemetry). Every installed provider (one per
 * name, the highest priority winning) traces the calls of every channel and server, as it is at the
 * time the call starts: a provider that arrives or leaves while channels run affects new calls
 * only. A channel or a server can also be given providers of its own, and can leave the installed
 * ones out ({@code DialOptions.Builder} and {@code ServerOptions.Builder}).
 *
 * <p>Found like every provider: {@code META-INF/services} on the class path, {@code provides} on
 * the module path, a Declarative Services component ({@value #NAME_PROPERTY}) inside OSGi.
 *
 * <p>With no provider installed a call pays nothing but a check of an empty list. Implementations
 * have a public no-arg constructor when loaded by {@link java.util.ServiceLoader}, and their
 * tracers never throw: an exception from a tracer is logged and otherwise ignored.
 *
 * @since 0.3
 */
@ConsumerType
public interface TelemetryProvider {
  /** Service property carrying the provider's name in OSGi. */
  String NAME_PROPERTY = "telemetry.name";

  /** {@return the provider's name (providers of one name replace each other)} */
  String name();

  /** {@return the priority among providers of the same name, higher wins; 5 by default} */
  default int priority() {
    return 5;
  }

  /**
   * {@return false when the provider cannot work here (missing dependency, platform); true by
   * default}
   */
  default boolean isAvailable() {
    return true;
  }

  /** {@return the factory of client call tracers, or {@code null} when it traces no client} */
  ClientCallTracer.Factory clientCallTracers();

  /** {@return the factory of server call tracers, or {@code null} when it traces no server} */
  ServerCallTracer.Factory serverCallTracers();
}
