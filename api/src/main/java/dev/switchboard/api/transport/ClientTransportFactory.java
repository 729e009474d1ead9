package dev.switchboard.api.transport;

import java.net.SocketAddress;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates client transports (one connection each) for one channel. Thread-safe. Closing it
 * releases resources it owns; transports already created keep working until shut down.
 *
 * @since 0.1
 */
@ConsumerType
public interface ClientTransportFactory extends AutoCloseable {
  /** A new, unstarted transport to {@code address}. */
  ClientTransport newClientTransport(SocketAddress address, ClientTransportOptions options);

  @Override
  void close();
}
