package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.FlowControl;
import dev.switchboard.api.FrameLimits;
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
 * @param keepalive the connection's keepalive (since 0.3); a transport that supports it raises a
 *     time below {@link ClientKeepalive#MIN_TIME} to it, and reports a GOAWAY ENHANCE_YOUR_CALM
 *     {@code too_many_pings} by doubling the keepalive time of the later transports of its factory
 * @param flowControl the HTTP/2 windows the connection advertises and their auto-tuning (since 0.3)
 * @param frameLimits limits on frames from the server that carry no response (since 0.3)
 * @since 0.1
 */
public record ClientTransportOptions(
    String authority,
    String userAgent,
    Duration connectTimeout,
    int maxInboundMetadataSize,
    CompressorRegistry compressorRegistry,
    Attributes addressAttributes,
    ClientKeepalive keepalive,
    FlowControl flowControl,
    FrameLimits frameLimits) {
  /**
   * Checks the components.
   *
   * @param authority default {@code :authority} for streams, not null
   * @param userAgent full {@code user-agent} header value, not null
   * @param connectTimeout how long the connection attempt may take, not null
   * @param maxInboundMetadataSize largest header block accepted, in bytes; 0 or less for the
   *     transport's default
   * @param compressorRegistry compressors for {@code grpc-encoding}, not null
   * @param addressAttributes attributes of the address being connected to, not null
   * @param keepalive the connection's keepalive, not null
   * @param flowControl the connection's flow control, not null
   * @param frameLimits limits on frames from the server that carry no response, not null
   * @since 0.3
   */
  public ClientTransportOptions {
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(compressorRegistry, "compressorRegistry");
    Objects.requireNonNull(addressAttributes, "addressAttributes");
    Objects.requireNonNull(keepalive, "keepalive");
    Objects.requireNonNull(flowControl, "flowControl");
    Objects.requireNonNull(frameLimits, "frameLimits");
  }

  /**
   * The options with {@link FlowControl#DEFAULT} and {@link FrameLimits#DEFAULT}.
   *
   * @param authority default {@code :authority} for streams, not null
   * @param userAgent full {@code user-agent} header value, not null
   * @param connectTimeout how long the connection attempt may take, not null
   * @param maxInboundMetadataSize largest header block accepted, in bytes; 0 or less for the
   *     transport's default
   * @param compressorRegistry compressors for {@code grpc-encoding}, not null
   * @param addressAttributes attributes of the address being connected to, not null
   * @param keepalive the connection's keepalive, not null
   * @since 0.3
   */
  public ClientTransportOptions(
      String authority,
      String userAgent,
      Duration connectTimeout,
      int maxInboundMetadataSize,
      CompressorRegistry compressorRegistry,
      Attributes addressAttributes,
      ClientKeepalive keepalive) {
    this(
        authority,
        userAgent,
        connectTimeout,
        maxInboundMetadataSize,
        compressorRegistry,
        addressAttributes,
        keepalive,
        FlowControl.DEFAULT,
        FrameLimits.DEFAULT);
  }

  /**
   * The options without keepalive ({@link ClientKeepalive#DISABLED}).
   *
   * @param authority default {@code :authority} for streams, not null
   * @param userAgent full {@code user-agent} header value, not null
   * @param connectTimeout how long the connection attempt may take, not null
   * @param maxInboundMetadataSize largest header block accepted, in bytes; 0 or less for the
   *     transport's default
   * @param compressorRegistry compressors for {@code grpc-encoding}, not null
   * @param addressAttributes attributes of the address being connected to, not null
   */
  public ClientTransportOptions(
      String authority,
      String userAgent,
      Duration connectTimeout,
      int maxInboundMetadataSize,
      CompressorRegistry compressorRegistry,
      Attributes addressAttributes) {
    this(
        authority,
        userAgent,
        connectTimeout,
        maxInboundMetadataSize,
        compressorRegistry,
        addressAttributes,
        ClientKeepalive.DISABLED,
        FlowControl.DEFAULT,
        FrameLimits.DEFAULT);
  }
}
