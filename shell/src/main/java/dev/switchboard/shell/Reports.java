package dev.switchboard.shell;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.channelz.CallStats;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Text reports on the default registries and on channels, shared by the shell commands and the
 * demo. Stateless; reads immutable snapshots, so safe from any thread.
 */
public final class Reports {
  private Reports() {}

  /**
   * {@return every registered provider of every plug point, one line each, grouped by name with the
   * winner first and marked {@code *}} Ranking, priority and origin show why it wins.
   */
  public static String providers() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ProviderRegistry<?>> e :
        Map.<String, ProviderRegistry<?>>of(
                "balancer", BalancerRegistry.getDefaultRegistry(),
                "resolver", ResolverRegistry.getDefaultRegistry(),
                "transport", TransportRegistry.getDefaultRegistry(),
                "codec", CodecRegistry.getDefaultRegistry(),
                "compressor", CompressorRegistry.getDefaultRegistry())
            .entrySet()
            .stream()
            .sorted(Map.Entry.comparingByKey())
            .toList()) {
      appendRegistry(sb, e.getKey(), e.getValue());
    }
    return sb.toString().stripTrailing();
  }

  private static <P> void appendRegistry(
      StringBuilder sb, String kind, ProviderRegistry<P> registry) {
    for (String name : new TreeSet<>(registry.providers().keySet())) {
      List<ProviderRegistry.Registration<P>> all = registry.registrations(name);
      for (int i = 0; i < all.size(); i++) {
        ProviderRegistry.Registration<P> r = all.get(i);
        sb.append(
            String.format(
                "%-10s %-12s %s %s (ranking %d, priority %d)%n",
                kind, name, i == 0 ? "*" : " ", r.origin(), r.ranking(), r.priority()));
      }
    }
  }

  /**
   * {@return a channel's wiring and its calls started, succeeded and failed, or why the wiring
   * cannot be shown}
   *
   * @param conn the channel
   */
  public static String wiring(ClientConn conn) {
    try {
      ChannelWiring wiring = conn.describeWiring();
      CallStats calls = wiring.calls();
      return wiring
          + String.format(
              "%n  calls: started %d, succeeded %d, failed %d",
              calls.started(), calls.succeeded(), calls.failed());
    } catch (UnsupportedOperationException e) {
      return "ClientConn '"
          + conn.target()
          + "' "
          + conn.getState(false)
          + " (this channel cannot describe its wiring)";
    }
  }
}
