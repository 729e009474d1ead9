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

  /** The policy name used in {@code loadBalancingConfig}. */
  String name();

  /** Priority among providers of the same name; higher wins. Default 5. */
  default int priority() {
    return 5;
  }

  /** False when the provider cannot work here (missing dependency, platform). */
  default boolean isAvailable() {
    return true;
  }

  /** Creates a balancer for one channel. Called in that channel's synchronization context. */
  Balancer newBalancer(BalancerConn conn);

  /**
   * Parses this policy's JSON config (as decoded by the channel: maps, lists, strings, doubles,
   * booleans, null) into a config object passed in {@link ClientConnState#balancerConfig()}.
   */
  default ConfigOrError parseConfig(Map<String, ?> rawConfig) {
    return ConfigOrError.fromConfig(rawConfig);
  }
}
