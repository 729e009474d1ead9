package dev.switchboard.transport.netty;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ServerConnectionListener;
import dev.switchboard.api.transport.ServerTransportOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one HTTP/2 connection: checks each new stream's headers before the core sees
 * it (answering protocol errors itself), dispatches frames to {@link NettyServerStream}s and runs
 * the graceful shutdown sequence. Event loop only.
 *
 * <p>A request whose headers fail {@link RequestHead}'s checks, and an oversized header block (431
 * RESOURCE_EXHAUSTED), get a trailers-only response; the stream is then reset if the client is
 * still sending.
 *
 * <p>Graceful shutdown: GOAWAY with the maximum stream id, a PING, and on its ack (or after {@value
 * #GOAWAY_PING_TIMEOUT_SECONDS} s) GOAWAY with the last stream id accepted; the channel closes once
 * those streams are done. The same sequence closes connections that reach their max idle time or
 * max age ({@link ServerConnectionTimers}, which also sends keepalive PINGs); after the age grace,
 * the connection is closed whether its streams are done or not.
 */
final class ServerHandler extends AbstractGrpcHandler {
  private static final long GRACEFUL_SHUTDOWN_PING = 0x9e3779b97f4a7c15L;
  private static final long GOAWAY_PING_TIMEOUT_SECONDS = 10;
  private static final String TOO_MANY_PINGS = "too_many_pings";

  private final ServerTransportOptions options;
  private final WriteQueue writeQueue;
  private final Attributes attributes;
  private final PingEnforcer pings;

  // Event loop only.
  private final IntObjectMap<NettyServerStream> streams = new IntObjectHashMap<>();
  private ServerConnectionListener connectionListener;
  private int lastProcessedStreamId;
  private ScheduledFuture<?> handshakeTimer;
  private ScheduledFuture<?> goAwayPingTimer;
  private ServerConnectionTimers timers;
  private boolean prefaceReceived;
  private boolean gracefulShutdownStarted;
  private boolean finalGoAwaySent;
  private boolean closing;
  private boolean terminated;
  private Status connectionError;

  private ServerHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      ServerTransportOptions options,
      WriteQueue writeQueue,
      Attributes attributes,
      PingEnforcer pings) {
    super(decoder, encoder, settings, options.flowControl());
    this.options = options;
    this.writeQueue = writeQueue;
    this.attributes = attributes;
    this.pings = pings;
    decoder.frameListener(new FrameListener());
    connection().addListener(new StreamCloseListener());
  }

  /**
   * A handler whose codec carries the flood limits of {@code options} (see {@link
   * Http2CodecBuilder}) and the PING policy of {@link PingEnforcer}, told of the frames we write by
   * a {@link FrameWriteMonitor}.
   */
  static ServerHandler create(
      ServerTransportOptions options, WriteQueue writeQueue, Attributes attributes) {
    int maxHeaderListSize = maxHeaderListSize(options.maxInboundMetadataSize());
    Http2Settings settings = settings(options.flowControl()).maxHeaderListSize(maxHeaderListSize);
    if (options.maxConcurrentCallsPerConnection() > 0) {
      settings.maxConcurrentStreams(options.maxConcurrentCallsPerConnection());
    }
    PingEnforcer pings =
        new PingEnforcer(
            options.permitKeepAliveTime().toNanos(),
            options.permitKeepAliveWithoutCalls(),
            System::nanoTime);
    int rstWindowSeconds = (int) Math.min(Integer.MAX_VALUE, options.rstStreamWindow().toSeconds());
    return Http2CodecBuilder.server(
        settings,
        options.frameLimits(),
        options.maxRstStreamsPerWindow(),
        rstWindowSeconds,
        new FrameWriteMonitor(pings),
        (decoder, encoder, s) ->
            new ServerHandler(decoder, encoder, s, options, writeQueue, attributes, pings));
  }

  /** Who receives this connection's streams; set before the handler joins the pipeline. */
  void setConnectionListener(ServerConnectionListener listener) {
    this.connectionListener = listener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    handshakeTimer =
        ctx.executor()
            .schedule(
                this::handshakeTimedOut,
                options.handshakeTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    timers = ServerConnectionTimers.start(this, ctx.executor(), options.keepalive());
  }

  @Override
  void peerActive() {
    timers.onRead();
  }

  private void handshakeTimedOut() {
    if (!prefaceReceived) {
      connectionFailed(Status.UNAVAILABLE.withDescription("handshake timed out"), false);
      context().close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimers();
    Status status =
        connectionError != null
            ? connectionError
            : Status.UNAVAILABLE.withDescription("connection closed");
    for (NettyServerStream s : new ArrayList<>(streams.values())) {
      s.transportFailed(status);
    }
    super.channelInactive(ctx);
    if (!terminated) {
      terminated = true;
      if (connectionListener != null) {
        connectionListener.connectionTerminated();
      }
    }
  }

  private void cancelTimers() {
    timers.stop();
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    if (goAwayPingTimer != null) {
      goAwayPingTimer.cancel(false);
    }
  }

  @Override
  void connectionFailed(Status status, boolean protocolError) {
    if (connectionError == null) {
      connectionError = asUnavailable(status);
    }
  }

  @Override
  void streamFailed(int streamId, Status status) {
    NettyServerStream s = streams.get(streamId);
    if (s != null) {
      s.transportFailed(status);
    }
  }

  @Override
  protected void onStreamError(
      ChannelHandlerContext ctx,
      boolean outbound,
      Throwable cause,
      Http2Exception.StreamException streamEx) {
    if (!outbound) {
      openRejectedStream(streamEx.streamId());
    }
    super.onStreamError(ctx, outbound, cause, streamEx);
  }

  /**
   * A header block the codec rejected while decoding it (a pseudo-header after a regular one, an
   * upper-case name) never opened its stream: the reset that follows would leave the id unknown,
   * and the client's next frame on it would be a connection error. Opening it first makes the reset
   * close it, so frames still in flight on it are ignored and the error stays a stream error.
   */
  private void openRejectedStream(int streamId) {
    Http2Connection.Endpoint<?> remote = connection().remote();
    if (connection().stream(streamId) == null
        && remote.isValidStreamId(streamId)
        && streamId > remote.lastStreamCreated()) {
      try {
        remote.createStream(streamId, false);
      } catch (Http2Exception e) {
        // Refused (too many streams, going away): the reset goes out for an unknown stream.
      }
    }
  }

  @Override
  protected void handleServerHeaderDecodeSizeError(ChannelHandlerContext ctx, Http2Stream stream) {
    encoder()
        .writeHeaders(
            ctx,
            stream.id(),
            GrpcHeaders.errorResponse(
                431,
                Status.RESOURCE_EXHAUSTED.withDescription(
                    "request header list larger than "
                        + maxHeaderListSize(options.maxInboundMetadataSize())
                        + " bytes")),
            0,
            true,
            ctx.newPromise());
  }

  // ---- new streams ----

  private void onNewStream(int streamId, Http2Headers headers, boolean endStream) {
    assert inEventLoop();
    lastProcessedStreamId = streamId;
    RequestHead head;
    try {
      head = RequestHead.parse(headers, options.compressorRegistry());
    } catch (RequestRejected rejected) {
      respondWithError(streamId, rejected, endStream);
      return;
    }
    NettyServerStream stream =
        new NettyServerStream(
            this,
            writeQueue,
            streamId,
            context().alloc(),
            options.maxInboundMessageSize(),
            options.compressorRegistry(),
            head,
            attributes);
    streams.put(streamId, stream);
    counters().remoteStreamStarted();
    if (streams.size() == 1) {
      timers.callsStarted();
    }
    try {
      connectionListener.streamCreated(stream, head.methodName(), GrpcHeaders.toMetadata(headers));
    } catch (RuntimeException e) {
      stream.cancelOnEventLoop(
          Status.INTERNAL.withDescription("streamCreated failed").withCause(e));
      return;
    }
    if (!stream.hasListener()) {
      stream.cancelOnEventLoop(Status.INTERNAL.withDescription("no stream listener was set"));
      return;
    }
    stream.markAllocated();
    if (endStream) {
      stream.onEndOfStream();
    }
  }

  /** A trailers-only error response; the stream never reaches the core. */
  private void respondWithError(int streamId, RequestRejected rejected, boolean endStream) {
    Http2Headers response = GrpcHeaders.errorResponse(rejected.httpStatus, rejected.status);
    if (rejected.acceptEncoding != null) {
      response.add(GrpcHeaders.GRPC_ACCEPT_ENCODING, rejected.acceptEncoding);
    }
    ChannelPromise promise = newPromise();
    if (!endStream) {
      promise.addListener(
          f -> {
            if (f.isSuccess()) {
              resetIfRemoteOpenLater(streamId, Http2Error.NO_ERROR);
            }
          });
    }
    encoder().writeHeaders(context(), streamId, response, 0, true, promise);
  }

  // ---- shutdown ----

  @Override
  void gracefulClose(Status reason) {
    assert inEventLoop();
    if (gracefulShutdownStarted || closing || !context().channel().isActive()) {
      return;
    }
    gracefulShutdownStarted = true;
    goAway(
        context(),
        Integer.MAX_VALUE,
        Http2Error.NO_ERROR.code(),
        Unpooled.EMPTY_BUFFER,
        newPromise());
    encoder().writePing(context(), false, GRACEFUL_SHUTDOWN_PING, newPromise());
    context().flush(); // also when not called by a command of the WriteQueue (which flushes)
    goAwayPingTimer =
        context()
            .executor()
            .schedule(this::sendFinalGoAway, GOAWAY_PING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private void sendFinalGoAway() {
    if (finalGoAwaySent || closing) {
      return;
    }
    finalGoAwaySent = true;
    goAwayPingTimer.cancel(false);
    goAway(
        context(),
        connection().remote().lastStreamCreated(),
        Http2Error.NO_ERROR.code(),
        Unpooled.EMPTY_BUFFER,
        newPromise());
    context().flush();
    closeIfDone();
  }

  private void closeIfDone() {
    if (finalGoAwaySent && streams.isEmpty() && !closing) {
      closing = true;
      context()
          .channel()
          .writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  void forcefulClose(Status reason) {
    assert inEventLoop();
    if (connectionError == null) {
      connectionError = reason;
    }
    for (NettyServerStream s : new ArrayList<>(streams.values())) {
      s.cancelOnEventLoop(reason);
    }
    closing = true;
    context()
        .channel()
        .writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** The client broke the PING policy: GOAWAY ENHANCE_YOUR_CALM {@code too_many_pings}, close. */
  private void tooManyPings() {
    if (closing) {
      return;
    }
    Status reason = Status.UNAVAILABLE.withDescription("client sent too many pings");
    connectionFailed(reason, true);
    goAway(
        context(),
        connection().remote().lastStreamCreated(),
        Http2Error.ENHANCE_YOUR_CALM.code(),
        Unpooled.copiedBuffer(TOO_MANY_PINGS, StandardCharsets.US_ASCII),
        newPromise());
    forcefulClose(reason);
  }

  /** A stream's listener was closed. */
  void streamFinished(NettyServerStream stream) {
    if (streams.remove(stream.id()) != null && streams.isEmpty()) {
      timers.callsEnded();
    }
    closeIfDone();
  }

  /** Dispatches received frames. */
  private final class FrameListener extends Http2FrameAdapter {
    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (!prefaceReceived) {
        prefaceReceived = true;
        handshakeTimer.cancel(false);
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      NettyServerStream s = streams.get(streamId);
      if (s != null) {
        if (endOfStream) {
          s.onEndOfStream(); // trailers from the client: only END_STREAM matters
        }
      } else if (streamId > lastProcessedStreamId) {
        onNewStream(streamId, headers, endOfStream);
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
      NettyServerStream s = streams.get(streamId);
      return s == null ? data.readableBytes() + padding : s.onDataRead(data, padding, endOfStream);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      NettyServerStream s = streams.get(streamId);
      if (s != null) {
        s.transportFailed(
            Status.CANCELLED.withDescription(
                "cancelled by the client (" + Http2Error.valueOf(errorCode) + ")"));
      }
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
      if (pings.pingReceived(!streams.isEmpty())) {
        tooManyPings();
      }
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      if (data == GRACEFUL_SHUTDOWN_PING && gracefulShutdownStarted) {
        sendFinalGoAway();
      }
    }
  }

  /** Safety net: a stream closed by the codec for a reason no frame callback reported. */
  private final class StreamCloseListener extends Http2ConnectionAdapter {
    @Override
    public void onStreamClosed(Http2Stream stream) {
      NettyServerStream s = streams.get(stream.id());
      if (s != null) {
        s.onHttp2StreamClosed(
            connectionError != null
                ? connectionError
                : Status.CANCELLED.withDescription("stream " + stream.id() + " closed"));
      }
    }
  }
}
