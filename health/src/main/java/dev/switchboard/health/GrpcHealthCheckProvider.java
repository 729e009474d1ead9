package dev.switchboard.health;

import dev.switchboard.api.spi.HealthCheckListener;
import dev.switchboard.api.spi.HealthCheckProvider;
import dev.switchboard.api.transport.ClientTransport;
import org.osgi.service.component.annotations.Component;

/**
 * Client-side health checks with the standard {@code grpc.health.v1.Health/Watch} method: what
 * channels use when their service config has a {@code healthCheckConfig}.
 *
 * <p>Found through {@code META-INF/services} on the class path, {@code provides} on the module path
 * and as a Declarative Services component inside OSGi. Stateless.
 *
 * @since 0.3
 */
@Component(
    service = HealthCheckProvider.class,
    property = HealthCheckProvider.NAME_PROPERTY + "=" + HealthCheckProvider.DEFAULT_NAME)
public final class GrpcHealthCheckProvider implements HealthCheckProvider {
  /** Public no-arg constructor for ServiceLoader and DS; does nothing. */
  public GrpcHealthCheckProvider() {}

  @Override
  public String name() {
    return DEFAULT_NAME;
  }

  @Override
  public Watch watch(ClientTransport transport, String serviceName, HealthCheckListener listener) {
    return new HealthCheckStream(transport, serviceName, listener);
  }

  @Override
  public String toString() {
    return "GrpcHealthCheckProvider";
  }
}
