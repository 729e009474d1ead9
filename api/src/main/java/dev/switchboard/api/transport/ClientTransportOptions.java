package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.spi.CompressorRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-connection options a channel passes to its transport.
 *
 * @param authority default {@code :authority} for streams
 * @param userAgent full {@code user-agent} header value
 * @param connectTimeout how long the connection attempt may take
 * @param maxInboundMetadataSize largest header block accepted
 * @param compressorRegistry compressors for {@code grpc-encoding}
 * @param addressAttributes attributes of the address being connected to
 * @since 0.1
 */
public record ClientTransportOptions(
    String authority, String userAgent, Duration connectTimeout, int maxInboundMetadataSize,
    CompressorRegistry compressorRegistry, Attributes addressAttributes) {
  public ClientTransportOptions {
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(compressorRegistry, "compressorRegistry");
    Objects.requireNonNull(addressAttributes, "addressAttributes");
  }
}
