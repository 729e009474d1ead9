package dev.switchboard.clientconn.internal;

import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import java.util.List;
import java.util.Objects;

/**
 * The parts of a service config the channel acts on: the chosen balancing policy, the registration
 * that supplies it, the config object its provider parsed, and why it was chosen. Immutable.
 *
 * @param policyName the chosen policy ({@code pick_first}, {@code round_robin}, ...)
 * @param registration the balancer registry's registration of the provider chosen for it
 * @param balancerConfig what {@link BalancerProvider#parseConfig} returned; may be {@code null}
 * @param reason why this policy: "first available in loadBalancingConfig [...]; x not deployed"
 * @param source where the config came from ("default service config", ...); may be empty
 * @param notDeployed the policies listed before this one that are not deployed: this one is a
 *     fallback when non-empty
 * @param methodConfigs the config's {@code methodConfig} part
 * @param healthCheckServiceName the config's {@code healthCheckConfig.serviceName} (client-side
 *     health checking, gRFC A17); {@code null} when it has none
 */
record ServiceConfig(
    String policyName,
    Registration<BalancerProvider> registration,
    Object balancerConfig,
    String reason,
    String source,
    List<String> notDeployed,
    MethodConfigs methodConfigs,
    String healthCheckServiceName) {
  ServiceConfig {
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(source, "source");
    notDeployed = List.copyOf(notDeployed);
    Objects.requireNonNull(methodConfigs, "methodConfigs");
  }

  BalancerProvider provider() {
    return registration.provider();
  }

  ServiceConfig withSource(String source) {
    return new ServiceConfig(
        policyName,
        registration,
        balancerConfig,
        reason,
        source,
        notDeployed,
        methodConfigs,
        healthCheckServiceName);
  }

  ServiceConfig withMethodConfigs(MethodConfigs methodConfigs) {
    return new ServiceConfig(
        policyName,
        registration,
        balancerConfig,
        reason,
        source,
        notDeployed,
        methodConfigs,
        healthCheckServiceName);
  }

  ServiceConfig withHealthCheckServiceName(String healthCheckServiceName) {
    return new ServiceConfig(
        policyName,
        registration,
        balancerConfig,
        reason,
        source,
        notDeployed,
        methodConfigs,
        healthCheckServiceName);
  }

  /** True when a balancer built for {@code other} can keep serving this config's policy. */
  boolean samePolicyAs(ServiceConfig other) {
    return other != null && other.policyName.equals(policyName) && other.provider() == provider();
  }

  /** Source and reason, for the channel's wiring. */
  String describe() {
    return source.isEmpty() ? reason : source + ": " + reason;
  }
}
