package dev.switchboard.api.spi;

import dev.switchboard.api.Attributes;
import java.util.List;
import java.util.Objects;

/**
 * What the channel gives its balancer: resolved addresses, resolver attributes and the balancer's
 * parsed config (grpc-go's {@code balancer.ClientConnState}).
 *
 * @param addresses resolved addresses, in resolver order
 * @param attributes resolver attributes
 * @param balancerConfig the object {@link BalancerProvider#parseConfig} returned, or {@code null}
 * @since 0.1
 */
public record ClientConnState(
    List<Address> addresses, Attributes attributes, Object balancerConfig) {
  /**
   * Copies the address list and checks the components.
   *
   * @param addresses resolved addresses, copied
   * @param attributes resolver attributes, not null
   * @param balancerConfig the parsed config, or {@code null}
   */
  public ClientConnState {
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(attributes, "attributes");
  }
}
