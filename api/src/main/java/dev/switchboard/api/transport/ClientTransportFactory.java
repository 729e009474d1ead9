package dev.switchboard.api.transport;

import java.net.SocketAddress;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates client transports (one connection each) for one channel. Thread-safe. Closing it releases
 * resources it owns; transports already created keep working until shut down.
 *
 * @since 0.1
 */
@ConsumerType
public interface ClientTransportFactory extends AutoCloseable {
  /**
   * {@return a new, unstarted transport to {@code address}}
   *
   * @param address where to connect, from a resolved {@link dev.switchboard.api.spi.Address}
   * @param options the connection's options
   */
  ClientTransport newClientTransport(SocketAddress address, ClientTransportOptions options);

  /**
   * {@return how this factory's connections are made, for a channel's {@link
   * dev.switchboard.api.ChannelWiring} (such as {@code "TLS by OpenSSL (BoringSSL)"}); empty by
   * default}
   *
   * @since 0.3
   */
  default String describe() {
    return "";
  }

  /** Releases what the factory owns; does not throw. Transports already created keep working. */
  @Override
  void close();
}
