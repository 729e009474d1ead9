package dev.switchboard.api.spi;

import dev.switchboard.api.Attributes;
import java.util.List;
import java.util.Objects;

/**
 * A resolution result (grpc-go's {@code resolver.State}).
 *
 * @param addresses the addresses, in preference order
 * @param serviceConfigJson service config from the resolver (e.g. DNS TXT), or {@code null}
 * @param attributes resolver attributes passed to the balancer
 * @since 0.1
 */
public record ResolverState(List<Address> addresses, String serviceConfigJson, Attributes attributes) {
  public ResolverState {
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(attributes, "attributes");
  }

  public static ResolverState of(List<Address> addresses) {
    return new ResolverState(addresses, null, Attributes.EMPTY);
  }
}
