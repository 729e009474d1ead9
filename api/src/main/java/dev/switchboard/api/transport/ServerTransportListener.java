package dev.switchboard.api.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives a server transport's connections. Implemented by the core; called on transport threads.
 *
 * @since 0.1
 */
@ProviderType
public interface ServerTransportListener {
  /**
   * A connection was accepted.
   *
   * @param connection the new connection
   * @return who receives its streams, not null
   */
  ServerConnectionListener connectionCreated(ServerConnection connection);

  /** Listening stopped for good. */
  void serverShutdown();
}
