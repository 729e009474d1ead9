package dev.switchboard.api.transport;

import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.CompressorRegistry;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a server transport needs to listen and to police its peers.
 *
 * @param addresses where to listen (port 0: any free port)
 * @param credentials how connections are secured
 * @param maxInboundMessageSize largest request message; larger ones end the call with
 *     RESOURCE_EXHAUSTED
 * @param maxInboundMetadataSize largest header block
 * @param maxConcurrentCallsPerConnection HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS
 * @param handshakeTimeout how long a new connection may take to send its preface
 * @param compressorRegistry compressors for {@code grpc-encoding}
 * @since 0.1
 */
public record ServerTransportOptions(
    List<SocketAddress> addresses,
    TransportCredentials credentials,
    int maxInboundMessageSize,
    int maxInboundMetadataSize,
    int maxConcurrentCallsPerConnection,
    Duration handshakeTimeout,
    CompressorRegistry compressorRegistry) {
  /**
   * Copies the address list and checks the components.
   *
   * @param addresses where to listen, copied
   * @param credentials how connections are secured, not null
   * @param maxInboundMessageSize largest request message, in bytes
   * @param maxInboundMetadataSize largest header block, in bytes
   * @param maxConcurrentCallsPerConnection HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS
   * @param handshakeTimeout how long a new connection may take to send its preface, not null
   * @param compressorRegistry compressors for {@code grpc-encoding}, not null
   */
  public ServerTransportOptions {
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(compressorRegistry, "compressorRegistry");
  }
}
