package dev.switchboard.transport.netty;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Compressor;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import dev.switchboard.api.transport.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The client side of one call on a {@link NettyClientTransport}.
 *
 * <p>Threading: {@link #start}, {@link #writeMessage}, {@link #halfClose}, {@link #request} and
 * {@link #setMessageCompression} run on the call's thread (one at a time) and only build immutable
 * commands; {@link #cancel} may come from any thread. Everything else (wire state, the deframer,
 * listener callbacks) happens on the connection's event loop.
 *
 * <p>Closing: the listener's {@code closed} comes once. A status from trailers is reported only
 * after every message before it was delivered; resets, connection loss and local cancellation
 * report at once and release undelivered messages.
 */
final class NettyClientStream<ReqT> extends AbstractNettyStream
    implements ClientTransportStream<ReqT> {
  private static final System.Logger LOG = System.getLogger(NettyClientStream.class.getName());

  /** Inbound message limit when the call sets none. */
  static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  private final ClientHandler handler;
  private final MethodDescriptor<ReqT, ?> method;
  private final Metadata headers;
  private final CallOptions callOptions;
  private final ClientTransportOptions options;
  private final Marshaller<ReqT> marshaller;
  private final Compressor compressor; // null: identity
  private final Status compressorError; // non-null: the stream fails on start

  // Call thread.
  private boolean started;
  private boolean halfClosed;

  // Event loop only (listener is written before the create command is queued).
  private ClientTransportStreamListener listener;
  private final MessageDeframer deframer;
  private int id = -1;
  private boolean headersReceived;
  private boolean outboundClosed;
  private Status trailerStatus; // non-null once the server ended the stream
  private boolean closedReported;
  private Metadata trailerMetadata;
  // REFUSED when the server provably did not process the stream (never sent, GOAWAY above it,
  // REFUSED_STREAM before any response): the core may then retry it transparently.
  private StreamProgress progress = StreamProgress.PROCESSED;

  NettyClientStream(
      ClientHandler handler,
      WriteQueue writeQueue,
      ByteBufAllocator alloc,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller,
      ClientTransportOptions options) {
    super(writeQueue, new MessageFramer(alloc, callOptions.getMaxOutboundMessageSize()));
    this.handler = handler;
    this.method = Objects.requireNonNull(method, "method");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.callOptions = Objects.requireNonNull(callOptions, "callOptions");
    this.marshaller = Objects.requireNonNull(marshaller, "requestMarshaller");
    this.options = options;
    String compressorName = callOptions.getCompressorName();
    Compressor c = null;
    Status error = null;
    if (compressorName != null && !CompressorRegistry.IDENTITY.equals(compressorName)) {
      c = options.compressorRegistry().compressor(compressorName);
      if (c == null) {
        error = Status.INTERNAL.withDescription("unknown compressor '" + compressorName + "'");
      }
    }
    this.compressor = c;
    this.compressorError = error;
    int maxInbound =
        callOptions.getMaxInboundMessageSize() >= 0
            ? callOptions.getMaxInboundMessageSize()
            : DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    this.deframer = new MessageDeframer(this, alloc, maxInbound, null);
  }

  // ---- ClientTransportStream (call thread) ----

  @Override
  public void start(ClientTransportStreamListener listener) {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    this.listener = Objects.requireNonNull(listener, "listener");
    // A call whose client sends one message sends its headers with that message (flushed by the
    // half-close); any other call's headers go out now, since the first message may come later.
    writeQueue()
        .enqueue(
            new CreateStreamCommand(this, compressorError == null ? buildHeaders() : null),
            compressorError != null || !method.getType().clientSendsOneMessage());
  }

  private Http2Headers buildHeaders() {
    String authority =
        callOptions.getAuthority() != null ? callOptions.getAuthority() : options.authority();
    Deadline deadline = callOptions.getDeadline();
    String timeout =
        deadline == null
            ? null
            : WireFormat.encodeTimeout(deadline.timeRemaining(TimeUnit.NANOSECONDS));
    return GrpcHeaders.requestHeaders(
        AsciiInterner.SHARED.path(method.getFullMethodName()),
        authority,
        GrpcHeaders.contentType(method.getCodecName()),
        options.userAgent(),
        timeout,
        compressor == null ? null : compressor.name(),
        options.compressorRegistry().acceptEncoding(),
        callOptions.getOption(ClientTransport.PREVIOUS_RPC_ATTEMPTS),
        headers);
  }

  @Override
  public void writeMessage(ReqT message) {
    if (!started || halfClosed) {
      throw new IllegalStateException(started ? "already half-closed" : "not started");
    }
    queueMessage(message, marshaller, compressor);
  }

  @Override
  public void halfClose() {
    if (!halfClosed) {
      halfClosed = true;
      writeQueue().enqueue(new HalfCloseCommand(this));
    }
  }

  // ---- event loop ----

  ClientHandler clientHandler() {
    return handler;
  }

  @Override
  AbstractGrpcHandler handler() {
    return handler;
  }

  @Override
  int id() {
    return id;
  }

  Status startFailure() {
    return compressorError;
  }

  /** The stream got its id and its headers were handed to the encoder. */
  void onCreated(int streamId) {
    id = streamId;
  }

  /** True once the server's END_STREAM (or a final failure) is known; the wire is not needed. */
  boolean isStatusKnown() {
    return trailerStatus != null || isFinished();
  }

  @Override
  boolean canSendOnEventLoop() {
    return !isFinished() && id > 0 && !outboundClosed;
  }

  @Override
  void requestOnEventLoop(int numMessages) {
    assert handler.inEventLoop();
    if (!isFinished()) {
      deframer.request(numMessages);
    }
  }

  void halfCloseOnEventLoop() {
    assert handler.inEventLoop();
    if (!canSendOnEventLoop()) {
      return;
    }
    outboundClosed = true;
    handler.writeData(id, Unpooled.EMPTY_BUFFER, true, handler.newPromise());
  }

  @Override
  void cancelOnEventLoop(Status reason) {
    assert handler.inEventLoop();
    if (listener == null) {
      markFinished(); // cancelled before start: nobody to tell
      return;
    }
    closeNow(reason, new Metadata(), true);
  }

  void onHeadersRead(Http2Headers h, boolean endStream) {
    assert handler.inEventLoop();
    if (isFinished() || trailerStatus != null) {
      return;
    }
    if (!headersReceived && !endStream) {
      CharSequence httpStatus = h.status();
      if (httpStatus != null && httpStatus.length() == 3 && httpStatus.charAt(0) == '1') {
        return; // informational; the real headers follow
      }
      Status error = StatusMapping.checkResponseHeaders(h);
      if (error != null) {
        closeNow(error, GrpcHeaders.toMetadata(h), true);
        return;
      }
      CharSequence encoding = h.get(GrpcHeaders.GRPC_ENCODING);
      if (encoding != null && !CompressorRegistry.IDENTITY.contentEquals(encoding)) {
        Compressor decompressor = options.compressorRegistry().compressor(encoding.toString());
        if (decompressor == null) {
          closeNow(
              Status.INTERNAL.withDescription("can't find decompressor for '" + encoding + "'"),
              new Metadata(),
              true);
          return;
        }
        deframer.setDecompressor(decompressor);
      }
      headersReceived = true;
      listener.headersRead(GrpcHeaders.toMetadata(h));
      return;
    }
    if (!endStream) {
      closeNow(
          Status.INTERNAL.withDescription("received trailers without END_STREAM"),
          new Metadata(),
          true);
      return;
    }
    Status status =
        headersReceived ? StatusMapping.fromTrailers(h) : StatusMapping.fromTrailersOnly(h);
    statusReceived(status, GrpcHeaders.toMetadata(h));
  }

  private void statusReceived(Status status, Metadata trailers) {
    trailerStatus = status;
    trailerMetadata = trailers;
    if (isLocalSideOpen()) {
      // The server is done; free the stream rather than keep sending into it.
      handler.resetOnWire(id, Http2Error.CANCEL);
    }
    outboundClosed = true;
    handler.streamStatusKnown();
    deframer.deframe(Unpooled.EMPTY_BUFFER, true); // delivers what is left, then endOfStream
  }

  private boolean isLocalSideOpen() {
    return !outboundClosed && handler.isLocalSideOpen(id);
  }

  int onDataRead(ByteBuf data, int padding, boolean endStream) {
    assert handler.inEventLoop();
    int length = data.readableBytes() + padding;
    if (isFinished() || trailerStatus != null) {
      return length;
    }
    if (!headersReceived) {
      closeNow(
          Status.INTERNAL.withDescription("received DATA before response headers"),
          new Metadata(),
          true);
      return length;
    }
    deframer.deframe(data.retain(), false);
    if (endStream && !isFinished()) {
      closeNow(
          Status.INTERNAL.withDescription("server ended the stream without trailers"),
          new Metadata(),
          true);
    }
    return padding;
  }

  void onRstStreamRead(long errorCode) {
    assert handler.inEventLoop();
    if (errorCode == Http2Error.REFUSED_STREAM.code() && !headersReceived) {
      progress = StreamProgress.REFUSED;
    }
    if (!isFinished() && trailerStatus == null) {
      closeNow(StatusMapping.fromRstStream(errorCode), new Metadata(), false);
    }
  }

  /**
   * The connection (or, for a GOAWAY, the server) will not carry this stream any further. A stream
   * whose status already arrived keeps delivering its buffered messages.
   */
  void transportFailed(Status status) {
    assert handler.inEventLoop();
    if (!isFinished() && trailerStatus == null) {
      closeNow(status, new Metadata(), false);
    }
  }

  /**
   * The server did not process this stream (GOAWAY with a lower last-stream-id). Event loop only.
   */
  void refused(Status status) {
    assert handler.inEventLoop();
    if (!headersReceived) {
      progress = StreamProgress.REFUSED;
    }
    transportFailed(status);
  }

  /** Closes now, whatever was buffered; for shutdownNow. */
  void abort(Status status) {
    closeNow(status, new Metadata(), false);
  }

  /**
   * The stream never reached the wire. {@code refused}: for a transport-level reason (shutting
   * down, not connected), so the call may be retried elsewhere.
   */
  void finishUnstarted(Status status, boolean refused) {
    if (isFinished()) {
      return;
    }
    markFinished();
    closedReported = true;
    deframer.close();
    listener.closed(
        status, refused ? StreamProgress.REFUSED : StreamProgress.PROCESSED, new Metadata());
  }

  private void closeNow(Status status, Metadata trailers, boolean sendReset) {
    if (isFinished()) {
      return;
    }
    markFinished(); // before the reset, whose stream-closed event must find us finished
    deframer.close();
    boolean reset = sendReset && id > 0 && (isLocalSideOpen() || handler.isRemoteSideOpen(id));
    outboundClosed = true;
    if (reset) {
      handler.resetOnWire(id, Http2Error.CANCEL);
    }
    finish(status, trailers);
  }

  private void finish(Status status, Metadata trailers) {
    if (closedReported) {
      return;
    }
    closedReported = true;
    markFinished();
    if (id > 0) {
      handler.counters().streamEnded(trailerStatus != null, status.isOk());
    }
    try {
      if (trailers == trailerMetadata) {
        listener.trailersRead(trailers); // the server's trailers, not a status made up here
      }
      listener.closed(status, progress, trailers);
    } finally {
      handler.streamFinished(this);
    }
  }

  @Override
  void messageFramed(long wireSize, long uncompressedSize) {
    listener.outboundMessageSize(wireSize, uncompressedSize);
  }

  // ---- MessageDeframer.Sink (event loop) ----

  @Override
  public void messageSizes(int wireSize, int uncompressedSize) {
    listener.inboundMessageSize(wireSize, uncompressedSize);
  }

  @Override
  public void messageRead(InputStream message, boolean compressed) {
    handler.counters().messageReceived();
    try {
      listener.messageRead(message);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "stream listener failed in messageRead", e);
      closeNow(
          Status.INTERNAL.withDescription("listener failed").withCause(e), new Metadata(), true);
    }
  }

  @Override
  public void endOfStream() {
    if (trailerStatus != null) {
      finish(trailerStatus, trailerMetadata);
    }
  }

  @Override
  public void deframeFailed(Status status) {
    if (trailerStatus != null && !trailerStatus.isOk()) {
      finish(trailerStatus, trailerMetadata);
    } else {
      closeNow(status, new Metadata(), trailerStatus == null);
    }
  }

  @Override
  void notifyOnReady() {
    listener.onReady();
  }
}
