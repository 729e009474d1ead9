package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ConfigOrError;
import dev.switchboard.api.spi.ResolverState;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses the channel's balancing policy: takes the service config from where it has precedence
 * (set by {@code updateServiceConfig}, else the resolver's, else the default: the dial options' one
 * until {@code updateDefaultServiceConfig} replaces it), parses it against the balancer registry,
 * and skips providers that threw on this channel while another listed policy is usable (until they
 * are deregistered: a new version may work). Serializer only.
 */
final class PolicySelector {
  /** Where a service config came from, and its JSON ({@code null}: none). */
  record Source(String json, String description) {}

  /** A choice: the config to use, or the error (UNAVAILABLE) explaining why none is usable. */
  record Choice(ServiceConfig config, Status error, String source) {}

  private final ServiceConfigParser parser;
  private final BalancerRegistry registry;

  // Only touched in the serializer.
  /** The config set with updateServiceConfig, or null. */
  private String explicitJson;

  /** The default config: the dial options', until updateDefaultServiceConfig; or null. */
  private String defaultJson;

  /** {@code DialOptions.disableServiceConfigLookup}: the resolver's config is not used. */
  private final boolean ignoreResolverConfig;

  /** Balancer providers that threw on this channel, with their policy names. */
  private final Map<BalancerProvider, String> failed = new IdentityHashMap<>();

  PolicySelector(
      ServiceConfigParser parser,
      BalancerRegistry registry,
      String defaultJson,
      boolean ignoreResolverConfig) {
    this.parser = parser;
    this.registry = registry;
    this.defaultJson = defaultJson;
    this.ignoreResolverConfig = ignoreResolverConfig;
  }

  void setExplicit(String json) {
    explicitJson = json;
  }

  /** Replaces the default config; returns false when {@code json} is the current one. */
  boolean setDefault(String json) {
    if (Objects.equals(defaultJson, json)) {
      return false;
    }
    defaultJson = json;
    return true;
  }

  /** Whether the default config (or its absence) decides, after {@code last}. */
  boolean defaultInForce(ResolverState last) {
    return explicitJson == null
        && (last == null || last.serviceConfigJson() == null || ignoreResolverConfig);
  }

  Source source(ResolverState last) {
    if (explicitJson != null) {
      return new Source(explicitJson, "service config set by updateServiceConfig");
    }
    if (last != null && last.serviceConfigJson() != null && !ignoreResolverConfig) {
      return new Source(last.serviceConfigJson(), "service config from the resolver");
    }
    if (defaultJson != null) {
      return new Source(defaultJson, "default service config");
    }
    return new Source(null, "no service config");
  }

  /** Parses the config in force for {@code last}, skipping failed providers. */
  Choice choose(ResolverState last) {
    Source source = source(last);
    ConfigOrError parsed = parser.parse(source.json(), failed::containsKey);
    if (parsed.error() != null) {
      return new Choice(null, parsed.error(), source.description());
    }
    return new Choice(
        ((ServiceConfig) parsed.config()).withSource(source.description()),
        null,
        source.description());
  }

  /** A balancer built by {@code config}'s provider threw: prefer other listed policies. */
  void failed(ServiceConfig config) {
    failed.put(config.provider(), config.policyName());
  }

  boolean hasFailed(BalancerProvider provider) {
    return failed.containsKey(provider);
  }

  /** Forgets failures of providers that are no longer registered. */
  void forgetDeparted() {
    failed
        .entrySet()
        .removeIf(
            e ->
                registry.registrations(e.getValue()).stream()
                    .noneMatch(r -> r.provider() == e.getKey()));
  }
}
