package dev.switchboard.api.spi;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies one balancing policy by name ({@code pick_first}, {@code round_robin}). Registered in
 * the {@link BalancerRegistry}: by {@code META-INF/services} and {@code provides} outside OSGi, as
 * a Declarative Services component with property {@value #NAME_PROPERTY} inside.
 *
 * <p>Implementations: public, with a public no-arg constructor, cheap, stateless and thread-safe;
 * they never throw from {@link #name()}, {@link #priority()} or {@link #isAvailable()}.
 *
 * @since 0.1
 */
@ConsumerType
public interface BalancerProvider {
  /** Service property carrying the policy name in OSGi. */
  String NAME_PROPERTY = "balancer.name";

  /** {@return the policy name used in {@code loadBalancingConfig}, such as {@code round_robin}} */
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

  /**
   * Creates a balancer for one channel. Called in that channel's synchronization context.
   *
   * @param conn the channel as the balancer sees it
   * @return a new balancer, not null
   */
  Balancer newBalancer(BalancerConn conn);

  /**
   * Parses this policy's JSON config (as decoded by the channel: maps, lists, strings, doubles,
   * booleans, null) into a config object passed in {@link ClientConnState#balancerConfig()}.
   *
   * @param rawConfig the policy's entry in {@code loadBalancingConfig}, unmodifiable; empty for
   *     {@code {}}
   * @return the parsed config (this default: {@code rawConfig} itself), or an error that makes the
   *     channel refuse the service config
   */
  default ConfigOrError parseConfig(Map<String, ?> rawConfig) {
    return ConfigOrError.fromConfig(rawConfig);
  }
}
