package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ConfigOrError;
import dev.switchboard.api.spi.Json;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Turns service-config JSON into a {@link ServiceConfig}: picks the balancing policy from {@code
 * loadBalancingConfig} (the first listed policy deployed in the registry wins, skipping providers
 * that failed this channel while another listed one is usable), else from the legacy {@code
 * loadBalancingPolicy}, else {@value #DEFAULT_POLICY}, and lets that policy's provider parse its
 * own config; parses {@code methodConfig} ({@link MethodConfigs}). The result says why that policy
 * was chosen.
 *
 * <p>Errors come back as a {@link ConfigOrError} with an UNAVAILABLE status, since they fail the
 * channel's picks: malformed JSON, a malformed {@code loadBalancingConfig}, no listed policy
 * deployed ("no balancing policy deployed among [...] (deployed: [...]): " and how to deploy one,
 * recognized by {@link #isNoPolicyDeployed}), or a policy config its provider rejects. Policy
 * lookups read the registry at parse time, so parsing again after a bundle arrives may succeed.
 * Thread-safe (stateless apart from the registry).
 */
final class ServiceConfigParser {
  static final String DEFAULT_POLICY = "pick_first";

  /** How the description of a "no listed policy is deployed" error starts. */
  private static final String NO_POLICY = "no balancing policy deployed among ";

  private final BalancerRegistry registry;

  /** One {@code loadBalancingConfig} entry. */
  private record Entry(String name, Map<?, ?> config) {}

  /** A structural error, before any registry lookup. */
  private static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  ServiceConfigParser(BalancerRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** The method settings of a valid service config JSON ({@code null}: none). */
  static MethodConfigs methodConfigsOf(String json) {
    if (json == null) {
      return MethodConfigs.NONE;
    }
    Map<?, ?> root = (Map<?, ?>) Json.parse(json);
    return MethodConfigs.parse(root.get("methodConfig"), root.get("retryThrottling"));
  }

  /**
   * Checks JSON syntax, shape and {@code methodConfig}; used to reject a bad default config at dial
   * time (a policy that is not deployed yet is not an error then).
   */
  static void checkSyntax(String json) {
    if (!(Json.parse(json) instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException("service config must be a JSON object: " + json);
    }
    MethodConfigs.parse(root.get("methodConfig"), root.get("retryThrottling"));
    healthCheckServiceName(root.get("healthCheckConfig"));
  }

  /**
   * Checks {@code json} as {@code ClientConn.updateServiceConfig} needs: syntax, shape, and the
   * config of every listed policy that is deployed. A policy that is not deployed is fine.
   *
   * @throws IllegalArgumentException describing the first problem
   */
  void validate(String json) {
    Object root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid service config: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("invalid service config: expected a JSON object");
    }
    List<Entry> entries;
    try {
      entries = entries(map);
    } catch (Malformed e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    MethodConfigs.parse(map.get("methodConfig"), map.get("retryThrottling"));
    healthCheckServiceName(map.get("healthCheckConfig"));
    for (Entry entry : entries) {
      Registration<BalancerProvider> r = registry.lookupRegistration(entry.name());
      if (r != null) {
        ConfigOrError parsed = parseWith(r, entry, "", "", List.of());
        if (parsed.error() != null) {
          throw new IllegalArgumentException(
              parsed.error().getDescription(), parsed.error().getCause());
        }
      }
    }
  }

  /** Parses {@code json}; {@code null} means "no config", giving the default policy. */
  ConfigOrError parse(String json) {
    return parse(json, p -> false);
  }

  /**
   * Parses {@code json}, skipping listed providers for which {@code failed} holds, unless no other
   * listed policy is deployed.
   */
  ConfigOrError parse(String json, Predicate<BalancerProvider> failed) {
    if (json == null) {
      return parse(Map.of(), failed);
    }
    Object root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      return error("invalid service config: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> map)) {
      return error("invalid service config: expected a JSON object");
    }
    return parse(map, failed);
  }

  ConfigOrError parse(Map<?, ?> root, Predicate<BalancerProvider> failed) {
    MethodConfigs methodConfigs;
    try {
      methodConfigs = MethodConfigs.parse(root.get("methodConfig"), root.get("retryThrottling"));
    } catch (IllegalArgumentException e) {
      return error(e.getMessage());
    }
    String healthCheck;
    try {
      healthCheck = healthCheckServiceName(root.get("healthCheckConfig"));
    } catch (IllegalArgumentException e) {
      return error(e.getMessage());
    }
    ConfigOrError policy = parsePolicy(root, failed);
    return policy.error() != null
        ? policy
        : ConfigOrError.fromConfig(
            ((ServiceConfig) policy.config())
                .withMethodConfigs(methodConfigs)
                .withHealthCheckServiceName(healthCheck));
  }

  /**
   * {@code healthCheckConfig.serviceName} (gRFC A17), or {@code null} when the config has no {@code
   * healthCheckConfig} or it names no service.
   *
   * @throws IllegalArgumentException when {@code healthCheckConfig} is not an object or its {@code
   *     serviceName} not a string
   */
  static String healthCheckServiceName(Object healthCheckConfig) {
    if (healthCheckConfig == null) {
      return null;
    }
    if (!(healthCheckConfig instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "invalid service config: healthCheckConfig must be an object");
    }
    Object name = map.get("serviceName");
    if (name != null && !(name instanceof String)) {
      throw new IllegalArgumentException(
          "invalid service config: healthCheckConfig.serviceName must be a string");
    }
    return (String) name;
  }

  private ConfigOrError parsePolicy(Map<?, ?> root, Predicate<BalancerProvider> failed) {
    List<Entry> entries;
    try {
      entries = entries(root);
    } catch (Malformed e) {
      return error(e.getMessage());
    }
    List<String> listed = entries.stream().map(Entry::name).toList();
    if (root.get("loadBalancingConfig") == null) {
      String why =
          root.get("loadBalancingPolicy") != null
              ? "loadBalancingPolicy '" + listed.get(0) + "'"
              : "no loadBalancingConfig: default policy '" + DEFAULT_POLICY + "'";
      Registration<BalancerProvider> r = registry.lookupRegistration(listed.get(0));
      return r == null ? noPolicy(listed) : parseWith(r, entries.get(0), why, "", List.of());
    }
    List<String> notes = new ArrayList<>();
    List<String> notDeployed = new ArrayList<>();
    Entry skippedEntry = null;
    Registration<BalancerProvider> skipped = null;
    for (Entry entry : entries) {
      Registration<BalancerProvider> r = registry.lookupRegistration(entry.name());
      if (r == null) {
        notes.add(entry.name() + " not deployed");
        if (skipped == null) {
          notDeployed.add(entry.name());
        }
      } else if (failed.test(r.provider())) {
        notes.add(entry.name() + " from " + r.origin() + " failed on this channel");
        if (skipped == null) {
          skipped = r;
          skippedEntry = entry;
        }
      } else {
        return parseWith(
            r, entry, "first available in loadBalancingConfig " + listed, notes, notDeployed);
      }
    }
    if (skipped != null) {
      return parseWith(
          skipped,
          skippedEntry,
          "first deployed in loadBalancingConfig "
              + listed
              + ", tried again since every deployed one failed",
          notes,
          notDeployed);
    }
    return noPolicy(listed);
  }

  private ConfigOrError parseWith(
      Registration<BalancerProvider> r,
      Entry entry,
      String why,
      List<String> notes,
      List<String> notDeployed) {
    return parseWith(
        r, entry, why, notes.isEmpty() ? "" : "; " + String.join("; ", notes), notDeployed);
  }

  /** Validates the shape; returns the entries in order (one for the legacy or default forms). */
  private static List<Entry> entries(Map<?, ?> root) throws Malformed {
    Object lbConfigs = root.get("loadBalancingConfig");
    if (lbConfigs != null) {
      if (!(lbConfigs instanceof List<?> list)) {
        throw new Malformed("invalid service config: loadBalancingConfig must be a list");
      }
      List<Entry> out = new ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof Map<?, ?> one) || one.size() != 1) {
          throw new Malformed(
              "invalid service config: each loadBalancingConfig entry must be an "
                  + "object with exactly one policy name, got "
                  + item);
        }
        Map.Entry<?, ?> policy = one.entrySet().iterator().next();
        String name = (String) policy.getKey();
        if (!(policy.getValue() instanceof Map<?, ?> config)) {
          throw new Malformed(
              "invalid service config: the config of policy '" + name + "' must be a JSON object");
        }
        out.add(new Entry(name, config));
      }
      if (out.isEmpty()) {
        throw new Malformed("invalid service config: loadBalancingConfig lists no policy");
      }
      return out;
    }
    Object legacy = root.get("loadBalancingPolicy");
    if (legacy != null) {
      if (!(legacy instanceof String name)) {
        throw new Malformed("invalid service config: loadBalancingPolicy must be a string");
      }
      return List.of(new Entry(name.toLowerCase(Locale.ROOT), Map.of()));
    }
    return List.of(new Entry(DEFAULT_POLICY, Map.of()));
  }

  @SuppressWarnings("unchecked")
  private ConfigOrError parseWith(
      Registration<BalancerProvider> r,
      Entry entry,
      String why,
      String notes,
      List<String> notDeployed) {
    String name = entry.name();
    ConfigOrError parsed;
    try {
      parsed = r.provider().parseConfig((Map<String, ?>) entry.config());
    } catch (RuntimeException e) {
      return ConfigOrError.fromError(
          Status.UNAVAILABLE
              .withDescription("balancing policy '" + name + "' failed to parse its config: " + e)
              .withCause(e));
    }
    if (parsed == null) {
      return error("balancing policy '" + name + "' returned no config");
    }
    if (parsed.error() != null) {
      return ConfigOrError.fromError(
          Status.UNAVAILABLE
              .withDescription(
                  "invalid config for balancing policy '"
                      + name
                      + "': "
                      + parsed.error().getDescription())
              .withCause(parsed.error().getCause()));
    }
    return ConfigOrError.fromConfig(
        new ServiceConfig(
            name, r, parsed.config(), why + notes, "", notDeployed, MethodConfigs.NONE, null));
  }

  /** No listed policy is deployed: says which are, and how to deploy one. */
  private ConfigOrError noPolicy(List<String> listed) {
    return error(
        NO_POLICY
            + listed
            + " (deployed: "
            + new TreeSet<>(registry.providers().keySet())
            + "): "
            + registry.howToDeploy(listed.get(0)));
  }

  /** True when {@code error} says that no listed policy is deployed (rather than a bad config). */
  static boolean isNoPolicyDeployed(Status error) {
    return error.getDescription() != null && error.getDescription().startsWith(NO_POLICY);
  }

  private static ConfigOrError error(String description) {
    return ConfigOrError.fromError(Status.UNAVAILABLE.withDescription(description));
  }
}
