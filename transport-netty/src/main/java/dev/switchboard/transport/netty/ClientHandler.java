package dev.switchboard.transport.netty;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.FlowControl;
import dev.switchboard.api.FrameLimits;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.TransportAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client side of one HTTP/2 connection: creates streams, dispatches received frames to them and
 * drives the {@link ClientTransportListener} lifecycle (ready on the server's first SETTINGS;
 * shutdown once on GOAWAY, failure, loss or local shutdown; terminated once, last, when the channel
 * is closed and every stream's listener has been closed). Event loop only.
 *
 * <p>Streams beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS wait in Netty's {@link
 * StreamBufferingEncoder}. On GOAWAY, streams above the last id the server will process fail with
 * UNAVAILABLE; the others continue, and the connection closes when they are done.
 *
 * <p>Keepalive ({@link ClientConnectionKeepalive}) runs from the server's SETTINGS on; a GOAWAY
 * ENHANCE_YOUR_CALM {@code too_many_pings} is reported to the factory, which doubles the keepalive
 * time of the channel's later connections.
 */
final class ClientHandler extends AbstractGrpcHandler {
  /** GOAWAY debug data of a server that finds our PINGs too frequent (gRFC A8). */
  static final String TOO_MANY_PINGS = "too_many_pings";

  private final ClientTransportListener listener;
  private final SocketAddress address;
  private final Duration handshakeTimeout;
  private final Consumer<Attributes> attributesSink;
  private final Runnable onTerminated;
  private final KeepaliveSettings keepaliveSettings;
  private final Runnable onTooManyPings;

  // Event loop only.
  private ClientConnectionKeepalive keepalive;
  private final IntObjectMap<NettyClientStream<?>> streams = new IntObjectHashMap<>();
  private ChannelFuture connectFuture;
  private ScheduledFuture<?> handshakeTimer;
  private boolean readyReported;
  private boolean shutdownReported;
  private boolean terminated;
  private boolean channelClosed;
  private boolean closing;
  private final ClientConnectionError connectionError;

  private ClientHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      ClientTransportListener listener,
      SocketAddress address,
      Duration handshakeTimeout,
      Consumer<Attributes> attributesSink,
      Runnable onTerminated,
      KeepaliveSettings keepaliveSettings,
      Runnable onTooManyPings,
      FlowControl flowControl) {
    super(decoder, encoder, settings, flowControl);
    this.listener = listener;
    this.address = address;
    this.handshakeTimeout = handshakeTimeout;
    this.attributesSink = attributesSink;
    this.onTerminated = onTerminated;
    this.keepaliveSettings = keepaliveSettings;
    this.onTooManyPings = onTooManyPings;
    this.connectionError = new ClientConnectionError(address);
    decoder.frameListener(new FrameListener());
    connection().addListener(new StreamCloseListener());
  }

  /**
   * @param frameLimits limits on frames from the server that carry no response
   * @param attributesSink receives the connection attributes once connected
   * @param onTerminated runs once, right after {@code transportTerminated}
   * @param keepaliveSettings the connection's keepalive
   * @param onTooManyPings runs when the server sends GOAWAY ENHANCE_YOUR_CALM {@code
   *     too_many_pings}
   * @param flowControl the windows we advertise and their auto-tuning
   */
  static ClientHandler create(
      ClientTransportListener listener,
      SocketAddress address,
      int maxInboundMetadataSize,
      FrameLimits frameLimits,
      Duration connectTimeout,
      Consumer<Attributes> attributesSink,
      Runnable onTerminated,
      KeepaliveSettings keepaliveSettings,
      Runnable onTooManyPings,
      FlowControl flowControl) {
    int maxHeaderListSize = maxHeaderListSize(maxInboundMetadataSize);
    Http2Settings settings =
        settings(flowControl).pushEnabled(false).maxHeaderListSize(maxHeaderListSize);
    return Http2CodecBuilder.client(
        settings,
        frameLimits,
        (decoder, encoder, s) ->
            new ClientHandler(
                decoder,
                encoder,
                s,
                listener,
                address,
                connectTimeout,
                attributesSink,
                onTerminated,
                keepaliveSettings,
                onTooManyPings,
                flowControl));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    keepalive = new ClientConnectionKeepalive(this, address, ctx.executor(), keepaliveSettings);
  }

  @Override
  void peerActive() {
    keepalive.onRead();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    attributesSink.accept(
        Attributes.newBuilder()
            .set(
                TransportAttributes.REMOTE_ADDRESS,
                NettyChannels.jdkAddress(ctx.channel().remoteAddress()))
            .set(
                TransportAttributes.LOCAL_ADDRESS,
                NettyChannels.jdkAddress(ctx.channel().localAddress()))
            .build());
    handshakeTimer =
        ctx.executor()
            .schedule(this::handshakeTimedOut, handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void handshakeTimedOut() {
    if (!readyReported && !channelClosed) {
      connectionFailed(
          Status.UNAVAILABLE.withDescription(
              "no HTTP/2 SETTINGS from " + address + " within " + handshakeTimeout),
          false);
      context().close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    onChannelClosed();
    super.channelInactive(ctx);
    maybeTerminate();
  }

  /**
   * The channel's close future completed (also for connects that never succeeded, whose failure
   * {@code connect} explains).
   */
  void channelClosed(ChannelFuture connect) {
    connectFuture = connect;
    onChannelClosed();
    maybeTerminate();
  }

  private void onChannelClosed() {
    if (channelClosed) {
      return;
    }
    channelClosed = true;
    if (keepalive != null) {
      keepalive.stop();
    }
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    if (connectFuture != null && connectFuture.cause() != null) {
      connectionError.connectFailed(connectFuture.cause());
    }
    Status status = connectionError.onClose(readyReported);
    reportShutdown(asUnavailable(status));
    for (NettyClientStream<?> s : snapshot()) {
      s.transportFailed(status);
    }
  }

  /** Explains, after the usual message, a connection closed before the server's settings. */
  void earlyCloseHint(String hint) {
    connectionError.earlyCloseHint(hint);
  }

  @Override
  void connectionFailed(Status status, boolean protocolError) {
    connectionError.connectionFailed(status, protocolError, readyReported);
  }

  @Override
  void streamFailed(int streamId, Status status) {
    NettyClientStream<?> s = streams.get(streamId);
    if (s != null) {
      s.transportFailed(status);
    }
  }

  // ---- commands ----

  /** Sends the stream's headers, or fails it when the connection cannot take new streams. */
  void createStream(NettyClientStream<?> stream, Http2Headers headers) {
    assert inEventLoop();
    if (stream.isFinished()) {
      return; // cancelled before start
    }
    Status failure = stream.startFailure();
    if (failure != null) {
      stream.finishUnstarted(failure, false);
      return;
    }
    Status refusal = null;
    if (shutdownReported) {
      refusal = Status.UNAVAILABLE.withDescription("transport is shutting down");
    } else if (channelClosed || !context().channel().isActive()) {
      refusal = Status.UNAVAILABLE.withDescription("transport is not connected");
    }
    if (refusal != null) {
      stream.finishUnstarted(refusal, true);
      return;
    }
    int streamId = connection().local().incrementAndGetNextStreamId();
    if (streamId < 0) {
      stream.finishUnstarted(Status.UNAVAILABLE.withDescription("stream ids exhausted"), true);
      gracefulClose(Status.UNAVAILABLE.withDescription("stream ids exhausted"));
      return;
    }
    stream.onCreated(streamId);
    counters().localStreamStarted();
    streams.put(streamId, stream);
    if (streams.size() == 1) {
      listener.transportInUse(true);
      keepalive.callsStarted();
    }
    ChannelPromise promise = newPromise();
    promise.addListener(
        future -> {
          if (future.isSuccess()) {
            return;
          }
          if (future.cause() instanceof StreamBufferingEncoder.Http2GoAwayException) {
            stream.refused(createFailureStatus(future.cause())); // buffered, never sent
          } else {
            stream.transportFailed(createFailureStatus(future.cause()));
          }
        });
    encoder().writeHeaders(context(), streamId, headers, 0, false, promise);
    if (!stream.isFinished()) {
      stream.markAllocated();
    }
  }

  private Status createFailureStatus(Throwable cause) {
    if (cause instanceof StreamBufferingEncoder.Http2GoAwayException) {
      return Status.UNAVAILABLE.withDescription("stream refused: GOAWAY received").withCause(cause);
    }
    if (connectionError.get() != null) {
      return connectionError.get();
    }
    return Status.UNAVAILABLE.withDescription("failed to start stream: " + cause).withCause(cause);
  }

  @Override
  void gracefulClose(Status reason) {
    assert inEventLoop();
    reportShutdown(reason);
    if (channelClosed) {
      return;
    }
    if (!context().channel().isActive()) {
      context().channel().close(); // still connecting: abandon the attempt
      return;
    }
    if (!connection().goAwaySent()) {
      goAway(
          context(),
          connection().remote().lastStreamCreated(),
          Http2Error.NO_ERROR.code(),
          Unpooled.EMPTY_BUFFER,
          newPromise());
    }
    closeIfIdle();
  }

  @Override
  void forcefulClose(Status reason) {
    assert inEventLoop();
    reportShutdown(reason);
    connectionError.record(reason);
    for (NettyClientStream<?> s : snapshot()) {
      s.abort(reason);
    }
    context().channel().close();
  }

  // ---- called by streams ----

  /** A stream's listener was closed. */
  void streamFinished(NettyClientStream<?> stream) {
    if (stream.id() > 0 && streams.get(stream.id()) == stream) {
      streams.remove(stream.id());
      if (streams.isEmpty()) {
        listener.transportInUse(false);
        keepalive.callsEnded();
      }
    }
    closeIfIdle();
    maybeTerminate();
  }

  /** A stream no longer needs the wire (its status arrived). */
  void streamStatusKnown() {
    closeIfIdle();
  }

  // ---- lifecycle ----

  private void reportShutdown(Status status) {
    if (!shutdownReported) {
      shutdownReported = true;
      listener.transportShutdown(status);
    }
  }

  /** After shutdown, closes the connection once no stream needs it. */
  private void closeIfIdle() {
    if (!shutdownReported || closing || channelClosed) {
      return;
    }
    for (NettyClientStream<?> s : streams.values()) {
      if (!s.isStatusKnown()) {
        return;
      }
    }
    closing = true;
    // Through the pipeline, so everything written before is flushed first.
    context()
        .channel()
        .writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void maybeTerminate() {
    if (channelClosed && streams.isEmpty() && !terminated) {
      terminated = true;
      try {
        listener.transportTerminated();
      } finally {
        onTerminated.run();
      }
    }
  }

  private List<NettyClientStream<?>> snapshot() {
    return new ArrayList<>(streams.values());
  }

  private void onGoAway(int lastStreamId, long errorCode, ByteBuf debugData) {
    String debug = debugData.toString(StandardCharsets.UTF_8);
    Http2Error error = Http2Error.valueOf(errorCode);
    Status status =
        Status.UNAVAILABLE.withDescription(
            "GOAWAY received: "
                + (error != null ? error : errorCode)
                + (debug.isEmpty() ? "" : " (" + debug + ")"));
    if (error == Http2Error.ENHANCE_YOUR_CALM && TOO_MANY_PINGS.equals(debug)) {
      onTooManyPings.run(); // gRFC A8: the channel's next connections ping half as often
    }
    reportShutdown(status);
    for (NettyClientStream<?> s : snapshot()) {
      if (s.id() > lastStreamId) {
        s.refused(status.augmentDescription("stream " + s.id() + " was not processed"));
      }
    }
    closeIfIdle();
  }

  /** Dispatches received frames to streams. */
  private final class FrameListener extends Http2FrameAdapter {
    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (!readyReported) {
        readyReported = true;
        if (handshakeTimer != null) {
          handshakeTimer.cancel(false);
        }
        if (!shutdownReported) {
          listener.transportReady();
        }
        keepalive.start();
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      NettyClientStream<?> s = streams.get(streamId);
      if (s != null) {
        s.onHeadersRead(headers, endOfStream);
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      NettyClientStream<?> s = streams.get(streamId);
      return s == null ? data.readableBytes() + padding : s.onDataRead(data, padding, endOfStream);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      NettyClientStream<?> s = streams.get(streamId);
      if (s != null) {
        s.onRstStreamRead(errorCode);
      }
    }

    @Override
    public void onGoAwayRead(
        ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      onGoAway(lastStreamId, errorCode, debugData);
    }
  }

  /** Safety net: a stream closed by the codec for a reason no frame callback reported. */
  private final class StreamCloseListener extends Http2ConnectionAdapter {
    @Override
    public void onStreamClosed(Http2Stream stream) {
      NettyClientStream<?> s = streams.get(stream.id());
      if (s != null) {
        s.transportFailed(
            connectionError.get() != null
                ? connectionError.get()
                : Status.INTERNAL.withDescription(
                    "stream " + stream.id() + " closed unexpectedly"));
      }
    }
  }
}
