package dev.switchboard.balancer.pickfirst;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.ConfigOrError;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.osgi.service.component.annotations.Component;

/**
 * Supplies the {@code pick_first} policy: the channel connects to the first address of the resolved
 * list that answers and sends every call there (grpc-go {@code balancer/pickfirst}).
 *
 * <p>Found through {@code META-INF/services} on the class path, {@code provides} on the module path
 * and as a Declarative Services component inside OSGi. Stateless and thread-safe.
 *
 * <p>Config ({@code {"pick_first": {...}}} in {@code loadBalancingConfig}): the optional boolean
 * {@code shuffleAddressList}; other keys are ignored. A non-boolean value is a config error.
 *
 * @since 0.1
 */
@Component(
    service = BalancerProvider.class,
    property = BalancerProvider.NAME_PROPERTY + "=" + PickFirstBalancerProvider.POLICY_NAME)
public final class PickFirstBalancerProvider implements BalancerProvider {
  static final String POLICY_NAME = "pick_first";
  static final String SHUFFLE_ADDRESS_LIST = "shuffleAddressList";

  /**
   * Public no-arg constructor for ServiceLoader and DS; does nothing.
   *
   * @since 0.1
   */
  public PickFirstBalancerProvider() {}

  @Override
  public String name() {
    return POLICY_NAME;
  }

  @Override
  public Balancer newBalancer(BalancerConn conn) {
    return new PickFirstBalancer(conn, ThreadLocalRandom::current);
  }

  @Override
  public ConfigOrError parseConfig(Map<String, ?> rawConfig) {
    if (rawConfig == null) {
      return ConfigOrError.fromConfig(PickFirstConfig.DEFAULT);
    }
    Object shuffle = rawConfig.get(SHUFFLE_ADDRESS_LIST);
    if (shuffle == null) {
      return ConfigOrError.fromConfig(PickFirstConfig.DEFAULT);
    }
    if (!(shuffle instanceof Boolean b)) {
      return ConfigOrError.fromError(
          Status.UNAVAILABLE.withDescription(
              "invalid pick_first config: "
                  + SHUFFLE_ADDRESS_LIST
                  + " must be a boolean, got "
                  + shuffle));
    }
    return ConfigOrError.fromConfig(new PickFirstConfig(b));
  }

  @Override
  public String toString() {
    return "PickFirstBalancerProvider";
  }
}
