package dev.switchboard.api.transport;

import dev.switchboard.api.Metadata;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives one connection's streams. Implemented by the core; called on the connection's transport
 * thread; must not block.
 *
 * @since 0.1
 */
@ProviderType
public interface ServerConnectionListener {
  /**
   * A new call arrived with valid gRPC headers. The core must {@link
   * ServerTransportStream#setListener set a listener} before returning.
   *
   * @param stream the new stream
   * @param fullMethodName the {@code :path} without its leading slash
   * @param headers the application headers (protocol headers removed)
   */
  void streamCreated(ServerTransportStream stream, String fullMethodName, Metadata headers);

  /** The connection is gone; all its streams have closed. */
  void connectionTerminated();
}
