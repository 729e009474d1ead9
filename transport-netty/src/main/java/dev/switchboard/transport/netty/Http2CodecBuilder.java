package dev.switchboard.transport.netty;

import dev.switchboard.api.FrameLimits;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Builds a handler's HTTP/2 encoder and decoder the way Netty's own builders do, so that a
 * connection gets the same flood protections, with the limits of a {@link FrameLimits}: a bounded
 * queue of control frames the codec writes on its own (answered with GOAWAY ENHANCE_YOUR_CALM), a
 * cap on consecutive empty DATA frames, on small CONTINUATION frames and, on the server, on
 * RST_STREAM frames received and sent per window. Hand-built codecs skip those wrappers.
 *
 * @param <T> the handler built
 */
final class Http2CodecBuilder<T extends AbstractGrpcHandler>
    extends AbstractHttp2ConnectionHandlerBuilder<T, Http2CodecBuilder<T>> {
  /** Makes the handler from the wrapped codec. */
  interface HandlerFactory<T> {
    T create(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings);
  }

  private final HandlerFactory<T> factory;

  private Http2CodecBuilder(HandlerFactory<T> factory) {
    this.factory = factory;
  }

  /**
   * A server handler's codec.
   *
   * @param maxRstFrames RST_STREAM frames the peer may send, and we may send, per window
   * @param rstWindowSeconds the window, in seconds
   * @param writeMonitor sees every frame written and read (see {@link FrameWriteMonitor})
   */
  static <T extends AbstractGrpcHandler> T server(
      Http2Settings settings,
      FrameLimits limits,
      int maxRstFrames,
      int rstWindowSeconds,
      Http2FrameLogger writeMonitor,
      HandlerFactory<T> factory) {
    return new Http2CodecBuilder<>(factory)
        .connection(AbstractGrpcHandler.newConnection(true))
        .frameLogger(writeMonitor)
        .initialSettings(settings)
        .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
        .decoderEnforceMaxConsecutiveEmptyDataFrames(limits.maxConsecutiveEmptyDataFrames())
        .decoderEnforceMaxSmallContinuationFrames(limits.maxSmallContinuationFrames())
        .decoderEnforceMaxRstFramesPerWindow(maxRstFrames, rstWindowSeconds)
        .encoderEnforceMaxRstFramesPerWindow(maxRstFrames, rstWindowSeconds)
        .decoupleCloseAndGoAway(true)
        .build();
  }

  /**
   * A client handler's codec; streams beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS wait in a
   * {@link io.netty.handler.codec.http2.StreamBufferingEncoder}. The server's resets are not
   * counted: a client resets the streams it cancels itself.
   */
  static <T extends AbstractGrpcHandler> T client(
      Http2Settings settings, FrameLimits limits, HandlerFactory<T> factory) {
    return new Http2CodecBuilder<>(factory)
        .connection(AbstractGrpcHandler.newConnection(false))
        .initialSettings(settings)
        .encoderEnforceMaxConcurrentStreams(true)
        .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
        .decoderEnforceMaxConsecutiveEmptyDataFrames(limits.maxConsecutiveEmptyDataFrames())
        .decoderEnforceMaxSmallContinuationFrames(limits.maxSmallContinuationFrames())
        .decoderEnforceMaxRstFramesPerWindow(0, 0)
        .encoderEnforceMaxRstFramesPerWindow(0, 0)
        .decoupleCloseAndGoAway(true)
        .build();
  }

  @Override
  protected T build(
      Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
    return factory.create(decoder, encoder, settings);
  }
}
