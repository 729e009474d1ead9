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
public record ResolverState(
    List<Address> addresses, String serviceConfigJson, Attributes attributes) {
  /**
   * Copies the address list and checks the components.
   *
   * @param addresses the addresses, copied
   * @param serviceConfigJson service config from the resolver, or {@code null}
   * @param attributes resolver attributes, not null
   */
  public ResolverState {
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(attributes, "attributes");
  }

  /**
   * {@return a result with only addresses: no service config, no attributes}
   *
   * @param addresses the addresses, in preference order
   */
  public static ResolverState of(List<Address> addresses) {
    return new ResolverState(addresses, null, Attributes.EMPTY);
  }
}
