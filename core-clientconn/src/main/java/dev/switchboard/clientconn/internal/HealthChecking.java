package dev.switchboard.clientconn.internal;

import dev.switchboard.api.spi.HealthCheckProvider;
import dev.switchboard.api.spi.HealthCheckRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;

/**
 * The channel's client-side health checking setting (gRFC A17): which service name, if any, a
 * SubConn's READY connection is checked for, and the health check provider to check with.
 *
 * <p>The service name comes from the service config in force ({@code
 * healthCheckConfig.serviceName}), as the {@link BalancerWrapper} adopts it; it applies to
 * connections that become READY from then on (as in grpc-go). It is ignored when the dial options
 * disable health checks, and when the channel's policy is {@code pick_first}, which ignores health
 * checks in gRPC. A channel that should check but finds no {@value
 * HealthCheckProvider#DEFAULT_NAME} provider logs it once and treats its backends as healthy.
 * Serializer only.
 */
final class HealthChecking {
  private static final System.Logger LOG = System.getLogger(HealthChecking.class.getName());

  private final HealthCheckRegistry registry;
  private final boolean disabled;
  private final String target;

  // Only touched in the serializer.
  private String serviceName;
  private boolean missingLogged;

  HealthChecking(HealthCheckRegistry registry, boolean disabled, String target) {
    this.registry = registry;
    this.disabled = disabled;
    this.target = target;
  }

  /** The balancer wrapper adopted {@code config}. */
  void configured(ServiceConfig config) {
    serviceName =
        disabled || "pick_first".equals(config.policyName())
            ? null
            : config.healthCheckServiceName();
  }

  /** {@return the service name to check READY connections for, or {@code null}: no checks} */
  String serviceName() {
    return serviceName;
  }

  /**
   * {@return a lease of the health check provider, or {@code null} when none is deployed (logged
   * once per channel); the caller closes it}
   */
  Lease<HealthCheckProvider> acquire() {
    Lease<HealthCheckProvider> lease = registry.acquire(HealthCheckProvider.DEFAULT_NAME);
    if (lease == null && !missingLogged) {
      missingLogged = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: the service config asks for health checks of ''{1}'' but no health check "
              + "provider ''{2}'' is deployed; treating backends as healthy. {3}",
          target,
          serviceName,
          HealthCheckProvider.DEFAULT_NAME,
          registry.howToDeploy(HealthCheckProvider.DEFAULT_NAME));
    }
    return lease;
  }
}
