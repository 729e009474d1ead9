package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ConfigOrError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns service-config JSON into a {@link ServiceConfig}: picks the balancing policy from {@code
 * loadBalancingConfig} (the first listed policy deployed in the registry wins), else from the
 * legacy {@code loadBalancingPolicy}, else {@value #DEFAULT_POLICY}, and lets that policy's
 * provider parse its own config.
 *
 * <p>Errors come back as a {@link ConfigOrError} with an UNAVAILABLE status, since they fail the
 * channel's picks: malformed JSON, a malformed {@code loadBalancingConfig}, no listed policy
 * deployed ("no balancing policy deployed among [...] (is its bundle deployed?)"), or a policy
 * config its provider rejects. Policy lookups read the registry at parse time, so parsing again
 * after a bundle arrives may succeed. Thread-safe (stateless apart from the registry).
 */
final class ServiceConfigParser {
  static final String DEFAULT_POLICY = "pick_first";

  private final BalancerRegistry registry;

  ServiceConfigParser(BalancerRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Checks JSON syntax and shape only; used to reject a bad default config at dial time. */
  static void checkSyntax(String json) {
    if (!(JsonParser.parse(json) instanceof Map)) {
      throw new IllegalArgumentException("service config must be a JSON object: " + json);
    }
  }

  /** Parses {@code json}; {@code null} means "no config", giving the default policy. */
  ConfigOrError parse(String json) {
    if (json == null) {
      return parse(Map.of());
    }
    Object root;
    try {
      root = JsonParser.parse(json);
    } catch (IllegalArgumentException e) {
      return error("invalid service config: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> map)) {
      return error("invalid service config: expected a JSON object");
    }
    return parse(map);
  }

  ConfigOrError parse(Map<?, ?> root) {
    Object lbConfigs = root.get("loadBalancingConfig");
    if (lbConfigs != null) {
      return chooseFromList(lbConfigs);
    }
    Object legacy = root.get("loadBalancingPolicy");
    if (legacy != null) {
      if (!(legacy instanceof String name)) {
        return error("invalid service config: loadBalancingPolicy must be a string");
      }
      String policy = name.toLowerCase(Locale.ROOT);
      return choose(policy, Map.of(), List.of(policy));
    }
    return choose(DEFAULT_POLICY, Map.of(), List.of(DEFAULT_POLICY));
  }

  private ConfigOrError chooseFromList(Object lbConfigs) {
    if (!(lbConfigs instanceof List<?> list)) {
      return error("invalid service config: loadBalancingConfig must be a list");
    }
    List<String> listed = new ArrayList<>();
    for (Object entry : list) {
      if (!(entry instanceof Map<?, ?> one) || one.size() != 1) {
        return error("invalid service config: each loadBalancingConfig entry must be an object "
            + "with exactly one policy name, got " + entry);
      }
      Map.Entry<?, ?> policy = one.entrySet().iterator().next();
      String name = (String) policy.getKey();
      Object config = policy.getValue();
      if (!(config instanceof Map<?, ?>)) {
        return error("invalid service config: the config of policy '" + name
            + "' must be a JSON object");
      }
      listed.add(name);
      if (registry.lookup(name) != null) {
        return choose(name, config, listed);
      }
    }
    if (listed.isEmpty()) {
      return error("invalid service config: loadBalancingConfig lists no policy");
    }
    return noPolicy(listed);
  }

  @SuppressWarnings("unchecked")
  private ConfigOrError choose(String name, Object rawConfig, List<String> listed) {
    BalancerProvider provider = registry.lookup(name);
    if (provider == null) {
      return noPolicy(listed);
    }
    ConfigOrError parsed;
    try {
      parsed = provider.parseConfig((Map<String, ?>) rawConfig);
    } catch (RuntimeException e) {
      return ConfigOrError.fromError(Status.UNAVAILABLE
          .withDescription("balancing policy '" + name + "' failed to parse its config: " + e)
          .withCause(e));
    }
    if (parsed == null) {
      return error("balancing policy '" + name + "' returned no config");
    }
    if (parsed.error() != null) {
      return ConfigOrError.fromError(Status.UNAVAILABLE
          .withDescription("invalid config for balancing policy '" + name + "': "
              + parsed.error().getDescription())
          .withCause(parsed.error().getCause()));
    }
    return ConfigOrError.fromConfig(new ServiceConfig(name, provider, parsed.config()));
  }

  private static ConfigOrError noPolicy(List<String> listed) {
    return error("no balancing policy deployed among " + listed + " (is its bundle deployed?)");
  }

  private static ConfigOrError error(String description) {
    return ConfigOrError.fromError(Status.UNAVAILABLE.withDescription(description));
  }
}
