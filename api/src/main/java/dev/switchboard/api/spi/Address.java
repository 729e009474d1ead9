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
  public Address {
    Objects.requireNonNull(socketAddress, "socketAddress");
    Objects.requireNonNull(attributes, "attributes");
  }

  public static Address of(SocketAddress socketAddress) {
    return new Address(socketAddress, Attributes.EMPTY, null);
  }

  /** An unresolved-free {@code host:port}; the host is resolved now if it is a name. */
  public static Address of(String host, int port) {
    return of(new InetSocketAddress(host, port));
  }

  @Override
  public String toString() {
    return socketAddress.toString() + (attributes.isEmpty() ? "" : attributes);
  }
}
