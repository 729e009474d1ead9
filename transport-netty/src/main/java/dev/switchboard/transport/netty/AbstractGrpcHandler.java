package dev.switchboard.transport.netty;

import dev.switchboard.api.FlowControl;
import dev.switchboard.api.Status;
import dev.switchboard.api.channelz.SocketCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.WeightedFairQueueByteDistributor;

/**
 * The HTTP/2 connection handler both sides build on: Netty's {@link Http2ConnectionHandler} plus
 * the operations streams and commands use (write DATA, return window, reset), the window setup
 * ({@link FlowControl}: the stream window in the handler's SETTINGS, the connection window raised
 * on activation, {@link BdpPinger} when auto-tuning) and error reporting. One per channel; every
 * method runs on the channel's event loop.
 *
 * <p>Close and GOAWAY are decoupled ({@code ctx.close()} closes at once); subclasses send GOAWAY
 * themselves as their shutdown sequence requires.
 */
abstract class AbstractGrpcHandler extends Http2ConnectionHandler {
  /**
   * Window is returned once a quarter of it has been received (connection) or consumed (stream):
   * Netty's ratio is the share still unreturned when WINDOW_UPDATE goes out, 0.5 by default. A
   * sender limited by the window then keeps about 3/4 of it in flight rather than 1/2 (grpc-go
   * returns at a quarter too), which is also what lets a BDP sample reach the estimator's 2/3.
   */
  static final float WINDOW_UPDATE_RATIO = 0.75f;

  /**
   * The least the outbound flow controller gives one stream before turning to the next: one
   * default-size DATA frame. Netty's default (1 KiB) cuts the messages of concurrent streams into 1
   * KiB frames, which costs both ends a frame each.
   */
  static final int ALLOCATION_QUANTUM = Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;

  /** Used when the options give no usable header list limit. */
  static final int DEFAULT_MAX_HEADER_LIST_SIZE = 8192;

  private final FlowControl flowControl;
  private ChannelHandlerContext ctx;

  /** The connection's channelz counts: written only on the event loop. */
  private final SocketCounters counters = new SocketCounters();

  /**
   * @param settings our SETTINGS, whose initial window size is {@code flowControl}'s (see {@link
   *     #settings(FlowControl)})
   */
  AbstractGrpcHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      FlowControl flowControl) {
    super(decoder, encoder, settings, /* decoupleCloseAndGoAway= */ true, /* flushPreface= */ true);
    this.flowControl = flowControl;
  }

  /** {@return SETTINGS advertising {@code flowControl}'s stream window, to add to} */
  static Http2Settings settings(FlowControl flowControl) {
    return new Http2Settings().initialWindowSize(flowControl.initialStreamWindow());
  }

  /**
   * A connection whose connection-level window refills automatically, on receipt; every window is
   * returned at {@link #WINDOW_UPDATE_RATIO}; streams share the peer's window in turns of {@link
   * #ALLOCATION_QUANTUM} bytes.
   */
  static Http2Connection newConnection(boolean server) {
    Http2Connection connection = new DefaultHttp2Connection(server);
    connection
        .local()
        .flowController(new DefaultHttp2LocalFlowController(connection, WINDOW_UPDATE_RATIO, true));
    WeightedFairQueueByteDistributor distributor = new WeightedFairQueueByteDistributor(connection);
    distributor.allocationQuantum(ALLOCATION_QUANTUM);
    connection
        .remote()
        .flowController(new DefaultHttp2RemoteFlowController(connection, distributor));
    return connection;
  }

  static int maxHeaderListSize(int configured) {
    return configured > 0 ? configured : DEFAULT_MAX_HEADER_LIST_SIZE;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
    if (flowControl.autoTune()) {
      decoder()
          .frameListener(
              new BdpPinger(
                  decoder().frameListener(),
                  this,
                  flowControl.initialStreamWindow(),
                  flowControl.initialConnectionWindow(),
                  flowControl.maxWindow(),
                  System::nanoTime));
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx); // sends the preface and our SETTINGS
    Http2Stream connectionStream = connection().connectionStream();
    decoder()
        .flowController()
        .incrementWindowSize(
            connectionStream,
            flowControl.initialConnectionWindow() - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
    ctx.flush();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    peerActive();
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    counters.stamp(); // the times of what this read batch counted: one clock read at most
    super.channelReadComplete(ctx);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    super.flush(ctx);
    counters.stamp(); // the times of what this write batch counted
  }

  /** The connection's channelz counters; counting methods on the event loop only. */
  final SocketCounters counters() {
    return counters;
  }

  /** Bytes arrived from the peer, about to be decoded: it is alive (keepalive). */
  void peerActive() {}

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      super.exceptionCaught(ctx, cause); // stream or connection error handling below
      return;
    }
    connectionFailed(
        Status.UNAVAILABLE.withDescription("connection failed: " + cause).withCause(cause), false);
    ctx.close();
  }

  @Override
  protected void onConnectionError(
      ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
    String detail = http2Ex != null ? http2Ex.getMessage() : String.valueOf(cause);
    connectionFailed(
        Status.INTERNAL.withDescription("HTTP/2 connection error: " + detail).withCause(cause),
        true);
    super.onConnectionError(ctx, outbound, cause, http2Ex);
  }

  @Override
  protected void onStreamError(
      ChannelHandlerContext ctx,
      boolean outbound,
      Throwable cause,
      Http2Exception.StreamException streamEx) {
    super.onStreamError(ctx, outbound, cause, streamEx); // resets the stream on the wire
    Status status =
        streamEx instanceof Http2Exception.HeaderListSizeException
            ? Status.RESOURCE_EXHAUSTED.withDescription(
                "header list too large: " + streamEx.getMessage())
            : Status.INTERNAL.withDescription("HTTP/2 stream error: " + streamEx.getMessage());
    streamFailed(streamEx.streamId(), status.withCause(cause));
  }

  /**
   * {@code status} as a connection's failure is told to its transport listener: UNAVAILABLE, with
   * the description and cause of {@code status}.
   */
  static Status asUnavailable(Status status) {
    return status.getCode() == Status.Code.UNAVAILABLE
        ? status
        : Status.UNAVAILABLE.withDescription(status.getDescription()).withCause(status.getCause());
  }

  /**
   * The connection broke: {@code protocolError} for HTTP/2 violations, else I/O. Called before the
   * channel closes; streams are failed when it does.
   */
  abstract void connectionFailed(Status status, boolean protocolError);

  /** Stream {@code streamId} was reset by the codec because of a stream error. */
  abstract void streamFailed(int streamId, Status status);

  /** Stops taking streams, lets open ones finish, then closes. */
  abstract void gracefulClose(Status reason);

  /** Closes now; open streams close with {@code reason}. */
  abstract void forcefulClose(Status reason);

  final ChannelHandlerContext context() {
    return ctx;
  }

  /** The connection's event loop; null before the handler was added to a pipeline. */
  final io.netty.util.concurrent.EventExecutor eventLoop() {
    return ctx == null ? null : ctx.executor();
  }

  final boolean inEventLoop() {
    return ctx != null && ctx.executor().inEventLoop();
  }

  final ChannelPromise newPromise() {
    return ctx.newPromise();
  }

  /** Sends a PING carrying {@code data} and flushes it. */
  final void sendPing(long data) {
    assert inEventLoop();
    encoder().writePing(ctx, false, data, ctx.newPromise());
    ctx.flush();
  }

  /** Writes DATA for {@code streamId}; takes ownership of {@code data}. */
  final void writeData(int streamId, ByteBuf data, boolean endStream, ChannelPromise promise) {
    assert inEventLoop();
    encoder().writeData(ctx, streamId, data, 0, endStream, promise);
  }

  /** Returns {@code numBytes} of stream window to the peer (no-op for closed streams). */
  final void returnWindow(int streamId, int numBytes) {
    assert inEventLoop();
    Http2Stream stream = connection().stream(streamId);
    if (stream == null || numBytes == 0) {
      return;
    }
    try {
      decoder().flowController().consumeBytes(stream, numBytes);
    } catch (Http2Exception e) {
      onError(ctx, false, e);
    }
  }

  /** Sends RST_STREAM for {@code streamId} if it is still open on the wire, and closes it. */
  final void resetOnWire(int streamId, Http2Error error) {
    assert inEventLoop();
    Http2Stream stream = connection().stream(streamId);
    if (stream != null) {
      resetStream(ctx, streamId, error.code(), ctx.newPromise());
    } else if (!connection().isServer() && streamId > connection().local().lastStreamCreated()) {
      // Still buffered by the StreamBufferingEncoder: this drops it without touching the wire.
      encoder().writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
    }
  }

  /**
   * From a write's completion listener: asks a peer that is still sending on {@code streamId} to
   * stop, with RST_STREAM({@code error}). Runs as a task of its own because a listener may be
   * called inside a flush, where a new write would wait for the next one.
   */
  final void resetIfRemoteOpenLater(int streamId, Http2Error error) {
    ctx.executor()
        .execute(
            () -> {
              if (isRemoteSideOpen(streamId)) {
                resetOnWire(streamId, error);
                ctx.channel().flush();
              }
            });
  }

  /** Whether frames for {@code streamId} still wait for flow-control window. */
  final boolean hasPendingWrites(int streamId) {
    Http2Stream stream = connection().stream(streamId);
    return stream != null && encoder().flowController().hasFlowControlled(stream);
  }

  /** Whether {@code streamId} is open on the wire for sending. */
  final boolean isLocalSideOpen(int streamId) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null) {
      return !connection().isServer() && streamId > connection().local().lastStreamCreated();
    }
    return stream.state() == Http2Stream.State.OPEN
        || stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE;
  }

  /** Whether the peer may still send on {@code streamId}. */
  final boolean isRemoteSideOpen(int streamId) {
    Http2Stream stream = connection().stream(streamId);
    return stream != null
        && (stream.state() == Http2Stream.State.OPEN
            || stream.state() == Http2Stream.State.HALF_CLOSED_LOCAL);
  }
}
