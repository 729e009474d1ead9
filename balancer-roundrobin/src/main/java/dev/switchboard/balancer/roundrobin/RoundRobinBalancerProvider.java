package dev.switchboard.balancer.roundrobin;

import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import org.osgi.service.component.annotations.Component;

/**
 * Supplies the {@code round_robin} policy: a connection to every resolved address, and calls spread
 * over the connected ones in turn (grpc-go {@code balancer/roundrobin}).
 *
 * <p>Found through {@code META-INF/services} on the class path, {@code provides} on the module path
 * and as a Declarative Services component inside OSGi. Stateless and thread-safe. The policy takes
 * no configuration: {@code {"round_robin": {}}}; any keys given are ignored.
 *
 * @since 0.1
 */
@Component(
    service = BalancerProvider.class,
    property = BalancerProvider.NAME_PROPERTY + "=" + RoundRobinBalancerProvider.POLICY_NAME)
public final class RoundRobinBalancerProvider implements BalancerProvider {
  static final String POLICY_NAME = "round_robin";

  /**
   * Public no-arg constructor for ServiceLoader and DS; does nothing.
   *
   * @since 0.1
   */
  public RoundRobinBalancerProvider() {}

  @Override
  public String name() {
    return POLICY_NAME;
  }

  @Override
  public Balancer newBalancer(BalancerConn conn) {
    return new RoundRobinBalancer(conn);
  }

  @Override
  public String toString() {
    return "RoundRobinBalancerProvider";
  }
}
