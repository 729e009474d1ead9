package dev.switchboard.api.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A listening endpoint that accepts connections and hands each to the {@link
 * ServerTransportListener}. Thread-safe.
 *
 * <p>Before a stream reaches the core, the transport answers protocol errors itself: a wrong {@code
 * content-type} gets HTTP 415; a malformed {@code grpc-timeout}, unknown {@code grpc-encoding}, bad
 * header or malformed frame gets a gRPC status (trailers-only or RST_STREAM); a broken connection
 * is closed without affecting others.
 *
 * @since 0.1
 */
@ConsumerType
public interface ServerTransport {
  /**
   * Binds and starts accepting. Called once.
   *
   * @param listener receives the accepted connections, not null
   * @throws IOException when an address cannot be bound; nothing stays bound
   */
  void start(ServerTransportListener listener) throws IOException;

  /** {@return the bound addresses, with real ports} Valid after {@link #start}. */
  List<SocketAddress> listenAddresses();

  /**
   * Stops accepting connections and releases the listening sockets; {@link
   * ServerTransportListener#serverShutdown()} follows. Existing connections are untouched.
   */
  void shutdown();
}
