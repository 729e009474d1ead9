package dev.switchboard.clientconn.internal;

import dev.switchboard.api.spi.BalancerProvider;
import java.util.Objects;

/**
 * The parts of a service config the channel acts on: the chosen balancing policy, the provider
 * that supplies it, and the config object that provider parsed. Immutable.
 *
 * @param policyName the chosen policy ({@code pick_first}, {@code round_robin}, ...)
 * @param provider the provider found in the balancer registry for it
 * @param balancerConfig what {@link BalancerProvider#parseConfig} returned; may be {@code null}
 */
record ServiceConfig(String policyName, BalancerProvider provider, Object balancerConfig) {
  ServiceConfig {
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(provider, "provider");
  }

  /** True when a balancer built for {@code other} can keep serving this config's policy. */
  boolean samePolicyAs(ServiceConfig other) {
    return other != null && other.policyName.equals(policyName) && other.provider == provider;
  }
}
