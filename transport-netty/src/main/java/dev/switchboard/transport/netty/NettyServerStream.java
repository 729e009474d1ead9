package dev.switchboard.transport.netty;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Compressor;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ServerTransportStream;
import dev.switchboard.api.transport.ServerTransportStreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The server side of one call accepted by a {@link ServerHandler}.
 *
 * <p>Threading: the writing methods run on the call's thread (one at a time) and queue immutable
 * commands, choosing there between headers, trailers and trailers-only; {@link #cancel} may come
 * from any thread. Wire state, the deframer and listener callbacks live on the event loop.
 *
 * <p>The listener's {@code closed} comes once: OK when the trailers were written, CANCELLED on a
 * client reset, UNAVAILABLE on connection loss, or the deframing error (already sent to the client
 * as trailers).
 */
final class NettyServerStream extends AbstractNettyStream implements ServerTransportStream {
  private static final System.Logger LOG = System.getLogger(NettyServerStream.class.getName());

  private final ServerHandler handler;
  private final int id;
  private final CompressorRegistry compressorRegistry;
  private final RequestHead head;
  private final Attributes attributes;

  // Call thread.
  private Compressor responseCompressor;
  private boolean headersWritten;
  private boolean closeCalled;
  // Written on the call thread before the trailers' command, read on the event loop after it.
  private boolean closedOk;

  // Event loop only.
  private ServerTransportStreamListener listener;
  private final MessageDeframer deframer;
  private boolean headersSentOnWire;
  private boolean outboundClosed;
  private boolean closedReported;
  private boolean trailersSent;

  NettyServerStream(
      ServerHandler handler,
      WriteQueue writeQueue,
      int id,
      ByteBufAllocator alloc,
      int maxInboundMessageSize,
      CompressorRegistry compressorRegistry,
      RequestHead head,
      Attributes attributes) {
    super(writeQueue, new MessageFramer(alloc, -1));
    this.handler = handler;
    this.id = id;
    this.compressorRegistry = compressorRegistry;
    this.head = head;
    this.attributes = attributes;
    this.deframer = new MessageDeframer(this, alloc, maxInboundMessageSize, head.decompressor());
  }

  // ---- ServerTransportStream ----

  @Override
  public void setListener(ServerTransportStreamListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (this.listener != null) {
      throw new IllegalStateException("listener already set");
    }
    this.listener = listener;
  }

  boolean hasListener() {
    return listener != null;
  }

  @Override
  public void writeHeaders(Metadata headers) {
    Objects.requireNonNull(headers, "headers");
    if (headersWritten || closeCalled) {
      throw new IllegalStateException(closeCalled ? "stream closed" : "headers already written");
    }
    headersWritten = true;
    writeQueue()
        .enqueue(
            new SendHeadersCommand(
                this,
                GrpcHeaders.responseHeaders(
                    responseCompressor == null ? null : responseCompressor.name(),
                    compressorRegistry.acceptEncoding(),
                    headers),
                false),
            false); // sent with the next flush, message or trailers
  }

  @Override
  public <T> void writeMessage(T message, Marshaller<T> marshaller) {
    if (closeCalled) {
      throw new IllegalStateException("stream closed");
    }
    if (isCancelRequested()) {
      return;
    }
    if (!headersWritten) {
      writeHeaders(new Metadata());
    }
    queueMessage(message, marshaller, responseCompressor);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(trailers, "trailers");
    if (closeCalled) {
      return;
    }
    closeCalled = true;
    closedOk = status.isOk(); // read on the event loop, after the command below
    writeQueue()
        .enqueue(
            new SendHeadersCommand(
                this, GrpcHeaders.trailers(status, trailers, !headersWritten), true));
  }

  @Override
  public void setCompression(String compressorName) {
    Objects.requireNonNull(compressorName, "compressorName");
    Compressor c = compressorRegistry.compressor(compressorName);
    if (c == null) {
      throw new IllegalArgumentException("unknown compressor '" + compressorName + "'");
    }
    responseCompressor = CompressorRegistry.IDENTITY.equals(c.name()) ? null : c;
  }

  @Override
  public String authority() {
    return head.authority();
  }

  @Override
  public Deadline deadline() {
    return head.deadline();
  }

  /** The connection's event loop: the deadline is armed and disarmed there, without a lock. */
  @Override
  public ScheduledExecutorService scheduler() {
    return handler.eventLoop();
  }

  @Override
  public String contentSubtype() {
    return head.contentSubtype();
  }

  @Override
  public String messageEncoding() {
    return head.encoding();
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  // ---- event loop ----

  @Override
  AbstractGrpcHandler handler() {
    return handler;
  }

  @Override
  int id() {
    return id;
  }

  @Override
  boolean canSendOnEventLoop() {
    return !isFinished() && !outboundClosed && headersSentOnWire;
  }

  @Override
  void requestOnEventLoop(int numMessages) {
    assert handler.inEventLoop();
    if (!isFinished()) {
      deframer.request(numMessages);
    }
  }

  void writeHeadersOnEventLoop(Http2Headers headers, boolean endStream) {
    assert handler.inEventLoop();
    if (isFinished() || outboundClosed) {
      return;
    }
    ChannelPromise promise = handler.newPromise();
    if (endStream) {
      outboundClosed = true;
      promise.addListener(f -> trailersWritten(f.isSuccess(), f.cause()));
    } else {
      headersSentOnWire = true;
    }
    handler.encoder().writeHeaders(handler.context(), id, headers, 0, endStream, promise);
  }

  private void trailersWritten(boolean success, Throwable cause) {
    trailersSent = success;
    if (success) {
      // The response is complete; ask a client still sending to stop (RFC 9113 8.1).
      handler.resetIfRemoteOpenLater(id, Http2Error.NO_ERROR);
      finish(Status.OK);
    } else {
      finish(Status.UNAVAILABLE.withDescription("failed to send trailers").withCause(cause));
    }
  }

  int onDataRead(ByteBuf data, int padding, boolean endStream) {
    assert handler.inEventLoop();
    if (isFinished()) {
      return data.readableBytes() + padding;
    }
    deframer.deframe(data.retain(), endStream);
    return padding;
  }

  /** The client ended its side with a HEADERS frame (or END_STREAM on the request headers). */
  void onEndOfStream() {
    if (!isFinished()) {
      deframer.deframe(Unpooled.EMPTY_BUFFER, true);
    }
  }

  /** RST_STREAM from the client or connection loss. */
  void transportFailed(Status status) {
    assert handler.inEventLoop();
    if (!isFinished()) {
      markFinished();
      outboundClosed = true;
      finish(status);
    }
  }

  /**
   * The codec closed the HTTP/2 stream. Expected once our trailers are out (we finish when their
   * write completes); otherwise the stream failed.
   */
  void onHttp2StreamClosed(Status status) {
    if (!outboundClosed) {
      transportFailed(status);
    }
  }

  @Override
  void cancelOnEventLoop(Status reason) {
    assert handler.inEventLoop();
    if (isFinished()) {
      return;
    }
    markFinished(); // before the reset, whose stream-closed event must find us finished
    // close() then cancel() (as the core does to abort a call): when the trailers are already on
    // the wire, let the client read them instead of overtaking them with a reset.
    boolean trailersGone = outboundClosed && !handler.hasPendingWrites(id);
    outboundClosed = true;
    if (!trailersGone) {
      handler.resetOnWire(id, Http2Error.CANCEL);
    }
    finish(reason);
  }

  private void finish(Status status) {
    if (closedReported) {
      return;
    }
    closedReported = true;
    markFinished();
    deframer.close();
    handler.counters().streamEnded(trailersSent, trailersSent && closedOk);
    try {
      if (listener != null) {
        listener.closed(status);
      }
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
      listener.messageRead(message, compressed);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "stream listener failed in messageRead", e);
      cancelOnEventLoop(Status.INTERNAL.withDescription("listener failed").withCause(e));
    }
  }

  @Override
  public void endOfStream() {
    listener.halfClosed();
  }

  @Override
  public void deframeFailed(Status status) {
    if (isFinished()) {
      return;
    }
    markFinished();
    if (!outboundClosed) {
      outboundClosed = true;
      ChannelPromise promise = handler.newPromise();
      promise.addListener(
          f -> {
            if (f.isSuccess()) {
              handler.resetIfRemoteOpenLater(id, Http2Error.NO_ERROR);
            }
          });
      handler
          .encoder()
          .writeHeaders(
              handler.context(),
              id,
              GrpcHeaders.trailers(status, new Metadata(), !headersSentOnWire),
              0,
              true,
              promise);
    }
    finish(status);
  }

  @Override
  void notifyOnReady() {
    listener.onReady();
  }
}
