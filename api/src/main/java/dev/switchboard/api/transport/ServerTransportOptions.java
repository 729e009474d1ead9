package dev.switchboard.api.transport;

import dev.switchboard.api.FlowControl;
import dev.switchboard.api.FrameLimits;
import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.ServerOptions;
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
 * @param frameLimits how many control frames (SETTINGS and PING acknowledgements, RST_STREAM) may
 *     wait to be written to a peer that does not read, how many empty DATA frames a peer may send
 *     in a row and how many small CONTINUATION frames per header block, before its connection is
 *     closed with GOAWAY ENHANCE_YOUR_CALM (a {@code FrameLimits} since 0.3, an {@code int} of
 *     queued control frames before)
 * @param maxRstStreamsPerWindow how many RST_STREAM frames a peer may send per {@code
 *     rstStreamWindow} before its connection is closed with GOAWAY ENHANCE_YOUR_CALM (Rapid Reset)
 * @param rstStreamWindow the window {@code maxRstStreamsPerWindow} counts over
 * @param permitKeepAliveTime the shortest interval between a client's PINGs the server tolerates
 * @param permitKeepAliveWithoutCalls whether PINGs at {@code permitKeepAliveTime} are tolerated on
 *     a connection without calls
 * @param keepalive the server's keepalive PINGs and connection idle and age limits (since 0.3)
 * @param flowControl the HTTP/2 windows connections advertise and their auto-tuning (since 0.3)
 * @since 0.1
 */
public record ServerTransportOptions(
    List<SocketAddress> addresses,
    TransportCredentials credentials,
    int maxInboundMessageSize,
    int maxInboundMetadataSize,
    int maxConcurrentCallsPerConnection,
    Duration handshakeTimeout,
    CompressorRegistry compressorRegistry,
    FrameLimits frameLimits,
    int maxRstStreamsPerWindow,
    Duration rstStreamWindow,
    Duration permitKeepAliveTime,
    boolean permitKeepAliveWithoutCalls,
    ServerKeepalive keepalive,
    FlowControl flowControl) {
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
   * @param frameLimits limits on control, empty DATA and CONTINUATION frames, not null
   * @param maxRstStreamsPerWindow RST_STREAM frames a peer may send per window, positive
   * @param rstStreamWindow the window RST_STREAM frames are counted over, at least one second
   * @param permitKeepAliveTime the shortest interval between a client's PINGs, not null or negative
   * @param permitKeepAliveWithoutCalls whether PINGs are tolerated on a connection without calls
   * @param keepalive keepalive PINGs and connection idle and age limits, not null
   * @param flowControl the connections' flow control, not null
   * @since 0.3
   */
  public ServerTransportOptions {
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(compressorRegistry, "compressorRegistry");
    Objects.requireNonNull(rstStreamWindow, "rstStreamWindow");
    Objects.requireNonNull(permitKeepAliveTime, "permitKeepAliveTime");
    Objects.requireNonNull(keepalive, "keepalive");
    Objects.requireNonNull(flowControl, "flowControl");
    Objects.requireNonNull(frameLimits, "frameLimits");
    if (maxRstStreamsPerWindow <= 0) {
      throw new IllegalArgumentException("maxRstStreamsPerWindow must be positive");
    }
    if (rstStreamWindow.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("rstStreamWindow must be at least one second");
    }
    if (permitKeepAliveTime.isNegative()) {
      throw new IllegalArgumentException("permitKeepAliveTime must not be negative");
    }
  }

  /**
   * {@return how many control frames may wait to be written to a peer that does not read}
   *
   * @since 0.1
   */
  public int maxQueuedControlFrames() {
    return frameLimits.maxQueuedControlFrames();
  }

  /**
   * The options with {@code maxQueuedControlFrames}, the default limits on empty DATA and
   * CONTINUATION frames and {@link FlowControl#DEFAULT}.
   *
   * @param addresses where to listen, copied
   * @param credentials how connections are secured, not null
   * @param maxInboundMessageSize largest request message, in bytes
   * @param maxInboundMetadataSize largest header block, in bytes
   * @param maxConcurrentCallsPerConnection HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS
   * @param handshakeTimeout how long a new connection may take to send its preface, not null
   * @param compressorRegistry compressors for {@code grpc-encoding}, not null
   * @param maxQueuedControlFrames control frames queued for a peer that does not read, positive
   * @param maxRstStreamsPerWindow RST_STREAM frames a peer may send per window, positive
   * @param rstStreamWindow the window RST_STREAM frames are counted over, at least one second
   * @param permitKeepAliveTime the shortest interval between a client's PINGs, not null or negative
   * @param permitKeepAliveWithoutCalls whether PINGs are tolerated on a connection without calls
   * @param keepalive keepalive PINGs and connection idle and age limits, not null
   * @since 0.3
   */
  public ServerTransportOptions(
      List<SocketAddress> addresses,
      TransportCredentials credentials,
      int maxInboundMessageSize,
      int maxInboundMetadataSize,
      int maxConcurrentCallsPerConnection,
      Duration handshakeTimeout,
      CompressorRegistry compressorRegistry,
      int maxQueuedControlFrames,
      int maxRstStreamsPerWindow,
      Duration rstStreamWindow,
      Duration permitKeepAliveTime,
      boolean permitKeepAliveWithoutCalls,
      ServerKeepalive keepalive) {
    this(
        addresses,
        credentials,
        maxInboundMessageSize,
        maxInboundMetadataSize,
        maxConcurrentCallsPerConnection,
        handshakeTimeout,
        compressorRegistry,
        FrameLimits.DEFAULT.withMaxQueuedControlFrames(maxQueuedControlFrames),
        maxRstStreamsPerWindow,
        rstStreamWindow,
        permitKeepAliveTime,
        permitKeepAliveWithoutCalls,
        keepalive,
        FlowControl.DEFAULT);
  }

  /**
   * The options with {@link ServerKeepalive#DEFAULT}.
   *
   * @param addresses where to listen, copied
   * @param credentials how connections are secured, not null
   * @param maxInboundMessageSize largest request message, in bytes
   * @param maxInboundMetadataSize largest header block, in bytes
   * @param maxConcurrentCallsPerConnection HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS
   * @param handshakeTimeout how long a new connection may take to send its preface, not null
   * @param compressorRegistry compressors for {@code grpc-encoding}, not null
   * @param maxQueuedControlFrames control frames queued for a peer that does not read, positive
   * @param maxRstStreamsPerWindow RST_STREAM frames a peer may send per window, positive
   * @param rstStreamWindow the window RST_STREAM frames are counted over, at least one second
   * @param permitKeepAliveTime the shortest interval between a client's PINGs, not null or negative
   * @param permitKeepAliveWithoutCalls whether PINGs are tolerated on a connection without calls
   */
  public ServerTransportOptions(
      List<SocketAddress> addresses,
      TransportCredentials credentials,
      int maxInboundMessageSize,
      int maxInboundMetadataSize,
      int maxConcurrentCallsPerConnection,
      Duration handshakeTimeout,
      CompressorRegistry compressorRegistry,
      int maxQueuedControlFrames,
      int maxRstStreamsPerWindow,
      Duration rstStreamWindow,
      Duration permitKeepAliveTime,
      boolean permitKeepAliveWithoutCalls) {
    this(
        addresses,
        credentials,
        maxInboundMessageSize,
        maxInboundMetadataSize,
        maxConcurrentCallsPerConnection,
        handshakeTimeout,
        compressorRegistry,
        FrameLimits.DEFAULT.withMaxQueuedControlFrames(maxQueuedControlFrames),
        maxRstStreamsPerWindow,
        rstStreamWindow,
        permitKeepAliveTime,
        permitKeepAliveWithoutCalls,
        ServerKeepalive.DEFAULT,
        FlowControl.DEFAULT);
  }

  /**
   * The options with the default flood limits of {@link ServerOptions}: {@value
   * ServerOptions#DEFAULT_MAX_QUEUED_CONTROL_FRAMES} queued control frames, {@value
   * ServerOptions#DEFAULT_MAX_RST_STREAMS_PER_WINDOW} RST_STREAM frames per {@link
   * ServerOptions#DEFAULT_RST_STREAM_WINDOW}, PINGs no more often than {@link
   * ServerOptions#DEFAULT_PERMIT_KEEPALIVE_TIME} and only while calls are open, {@link
   * ServerKeepalive#DEFAULT}.
   *
   * @param addresses where to listen, copied
   * @param credentials how connections are secured, not null
   * @param maxInboundMessageSize largest request message, in bytes
   * @param maxInboundMetadataSize largest header block, in bytes
   * @param maxConcurrentCallsPerConnection HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS
   * @param handshakeTimeout how long a new connection may take to send its preface, not null
   * @param compressorRegistry compressors for {@code grpc-encoding}, not null
   */
  public ServerTransportOptions(
      List<SocketAddress> addresses,
      TransportCredentials credentials,
      int maxInboundMessageSize,
      int maxInboundMetadataSize,
      int maxConcurrentCallsPerConnection,
      Duration handshakeTimeout,
      CompressorRegistry compressorRegistry) {
    this(
        addresses,
        credentials,
        maxInboundMessageSize,
        maxInboundMetadataSize,
        maxConcurrentCallsPerConnection,
        handshakeTimeout,
        compressorRegistry,
        FrameLimits.DEFAULT,
        ServerOptions.DEFAULT_MAX_RST_STREAMS_PER_WINDOW,
        ServerOptions.DEFAULT_RST_STREAM_WINDOW,
        ServerOptions.DEFAULT_PERMIT_KEEPALIVE_TIME,
        false,
        ServerKeepalive.DEFAULT,
        FlowControl.DEFAULT);
  }
}
