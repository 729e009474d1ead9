package dev.switchboard.clientconn.internal;

import dev.switchboard.api.DialOptions;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import java.util.List;

/**
 * The "why it won" sentences of a channel's wiring: how a registry ranked the chosen provider
 * against the others of its name, and why a transport name was used. Stateless.
 */
final class Reasons {
  private Reasons() {}

  /**
   * How {@code chosen} compares with the other registrations of its name: "the only provider of
   * 'x'", "highest ranking (10) among 2 providers of 'x'", "highest priority (7) among 2 ...",
   * "registered first among 2 equally ranked ...", or, for a provider kept after it stopped
   * winning, "no longer registered" / "outranked since chosen".
   */
  static <P> String ranking(ProviderRegistry<P> registry, Registration<P> chosen) {
    String name = chosen.name();
    List<Registration<P>> all = registry.registrations(name);
    boolean registered = all.stream().anyMatch(r -> r.provider() == chosen.provider());
    if (!registered) {
      return "no longer registered";
    }
    if (all.get(0).provider() != chosen.provider()) {
      return "outranked since chosen by one from " + all.get(0).origin();
    }
    int n = all.size();
    if (n == 1) {
      return "the only provider of '" + name + "'";
    }
    Registration<P> best = all.get(0);
    Registration<P> second = all.get(1);
    if (best.ranking() != second.ranking()) {
      return "highest ranking (" + best.ranking() + ") among " + n + " providers of '" + name + "'";
    }
    if (best.priority() != second.priority()) {
      return "highest priority ("
          + best.priority()
          + ") among "
          + n
          + " providers of '"
          + name
          + "' ranked "
          + best.ranking();
    }
    return "registered first among " + n + " equally ranked providers of '" + name + "'";
  }

  /** Why the channel uses transport {@code name}. */
  static String transportNamed(String name) {
    return DialOptions.DEFAULT_TRANSPORT.equals(name)
        ? "default transport name '" + name + "'"
        : "transport '" + name + "' named by the dial options";
  }

  static <P> String transport(ProviderRegistry<P> registry, Registration<P> chosen) {
    return transportNamed(chosen.name()) + "; " + ranking(registry, chosen);
  }
}
