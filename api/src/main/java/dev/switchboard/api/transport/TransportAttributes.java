package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
import java.net.SocketAddress;

/**
 * Well-known connection attributes set by transports.
 *
 * @since 0.1
 */
public final class TransportAttributes {
  /** The peer's address. */
  public static final Attributes.Key<SocketAddress> REMOTE_ADDRESS =
      Attributes.Key.create("remote-address");

  /** This side's address. */
  public static final Attributes.Key<SocketAddress> LOCAL_ADDRESS =
      Attributes.Key.create("local-address");

  private TransportAttributes() {}
}
