package dev.switchboard.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.function.LongSupplier;

/**
 * Window auto-tuning of one connection: sits in front of the handler's frame listener, counts
 * received DATA into a {@link BdpEstimator}, sends its PINGs ({@link #BDP_PING}) and, when the
 * estimate grows, raises the connection window (WINDOW_UPDATE) and the stream window
 * (SETTINGS_INITIAL_WINDOW_SIZE, which Netty applies to open streams too once the peer acknowledges
 * it). Acknowledgements of other PINGs pass through. Event loop only.
 *
 * <p>PINGs are written without a flush: the codec flushes when the read completes. They are sent
 * only on receipt of DATA, so a server's PING policy, which forgives a PING that follows data it
 * sent, never counts them against the client (see {@link FrameWriteMonitor}).
 */
final class BdpPinger extends Http2FrameListenerDecorator {
  /** Data of BDP PINGs, told apart from keepalive and shutdown PINGs. */
  static final long BDP_PING = 0x5eed_ca11_ab1e_0003L;

  private final AbstractGrpcHandler handler;
  private final BdpEstimator estimator;
  private final LongSupplier nanoTime;
  private int streamWindow; // the largest SETTINGS_INITIAL_WINDOW_SIZE sent

  /**
   * @param delegate the handler's own frame listener
   * @param streamWindow the stream window the handler advertised first
   * @param connectionWindow the connection window the handler advertised first
   * @param maxWindow the largest window to grow to
   */
  BdpPinger(
      Http2FrameListener delegate,
      AbstractGrpcHandler handler,
      int streamWindow,
      int connectionWindow,
      int maxWindow,
      LongSupplier nanoTime) {
    super(delegate);
    this.handler = handler;
    this.streamWindow = streamWindow;
    this.estimator = new BdpEstimator(Math.min(streamWindow, connectionWindow), maxWindow);
    this.nanoTime = nanoTime;
  }

  @Override
  public int onDataRead(
      ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
      throws Http2Exception {
    int bytes = data.readableBytes() + padding;
    // An empty frame tells nothing about bandwidth, and must not earn the peer a PING to answer.
    if (bytes > 0 && estimator.dataReceived(bytes)) {
      estimator.pingSent(nanoTime.getAsLong());
      handler.encoder().writePing(ctx, false, BDP_PING, ctx.newPromise());
    }
    return super.onDataRead(ctx, streamId, data, padding, endOfStream);
  }

  @Override
  public void onPingAckRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
    if (data != BDP_PING) {
      super.onPingAckRead(ctx, data);
      return;
    }
    int window = estimator.pingAcked(nanoTime.getAsLong());
    if (window > 0) {
      raiseWindows(ctx, window);
    }
  }

  /** Raises the connection and stream windows to {@code window} where they are smaller. */
  private void raiseWindows(ChannelHandlerContext ctx, int window) throws Http2Exception {
    Http2LocalFlowController flowController = handler.decoder().flowController();
    Http2Stream connectionStream = handler.connection().connectionStream();
    int connectionWindow = flowController.initialWindowSize(connectionStream);
    if (window > connectionWindow) {
      flowController.incrementWindowSize(connectionStream, window - connectionWindow);
    }
    if (window > streamWindow) {
      streamWindow = window;
      handler
          .encoder()
          .writeSettings(ctx, new Http2Settings().initialWindowSize(window), ctx.newPromise());
    }
  }

  /** {@return the current window estimate} */
  int window() {
    return estimator.window();
  }
}
