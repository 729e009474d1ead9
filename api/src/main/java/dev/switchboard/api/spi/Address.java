package dev.switchboard.api.spi;

import dev.switchboard.api.Attributes;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * One resolved server address with attributes (grpc-go's {@code resolver.Address}).
 *
 * @param socketAddress where to connect
 * @param attributes resolver-supplied attributes
 * @param authority {@code :authority} to use for calls over this address, or {@code null} for the
 *     channel's
 * @since 0.1
 */
public record Address(SocketAddress socketAddress, Attributes attributes, String authority) {
  /**
   * Checks the components.
   *
   * @param socketAddress where to connect, not null
   * @param attributes resolver-supplied attributes, not null
   * @param authority {@code :authority} for calls over this address, or {@code null}
   */
  public Address {
    Objects.requireNonNull(socketAddress, "socketAddress");
    Objects.requireNonNull(attributes, "attributes");
  }

  /**
   * {@return an address without attributes that uses the channel's authority}
   *
   * @param socketAddress where to connect, not null
   */
  public static Address of(SocketAddress socketAddress) {
    return new Address(socketAddress, Attributes.EMPTY, null);
  }

  /**
   * {@return an address for {@code host:port}, without attributes, that uses the channel's
   * authority} A host name is resolved now, blocking; pass an IP literal from resolver code.
   *
   * @param host an IP literal or host name
   * @param port the port
   */
  public static Address of(String host, int port) {
    return of(new InetSocketAddress(host, port));
  }

  @Override
  public String toString() {
    return socketAddress.toString() + (attributes.isEmpty() ? "" : attributes);
  }
}
