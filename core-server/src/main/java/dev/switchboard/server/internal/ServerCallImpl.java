package dev.switchboard.server.internal;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ServerTransportStream;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The one {@link ServerCall} implementation: the application's view of a {@link
 * ServerTransportStream}.
 *
 * <p>Threading: the application calls it from any thread, without overlap. The core may also end it
 * from the call's serializer ({@link #fail}, after a handler threw or a request could not be
 * decoded) while the application is sending from elsewhere; since the stream takes one caller at a
 * time, every stream operation that changes the stream's state holds {@link #streamLock}. It is
 * uncontended in the normal case.
 *
 * <p>Lifecycle: {@link #close} or {@link #fail} ends the call exactly once; the transport then
 * reports {@code closed}, and {@link CallStreamListener} tells the application listener.
 */
final class ServerCallImpl<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  private final ServerTransportStream stream;
  private final MethodDescriptor<ReqT, RespT> method;
  private final Marshaller<RespT> responseMarshaller;
  private final CompressorRegistry compressors;
  private final boolean singleResponse;
  // For a single-request call, whose message the core asked the stream for when it arrived:
  // where the application's request(n) goes instead (CallStreamListener's gate); else null.
  private final IntConsumer heldRequests;
  private final ServerTracing tracing; // null: untraced

  private final Object streamLock = new Object();
  // Guarded by streamLock; closeCalled is also read without it by isReady/isDone.
  private volatile boolean closeCalled;
  private boolean headersSent;
  private boolean messageSent;

  // Set by the transport thread (non-OK close) or by fail().
  private volatile boolean cancelled;
  // Set by fail(): the call ended through the core, not through the application's close().
  private volatile boolean failed;
  // The compressed flag of the request message last handed to the listener; written and read in
  // the call's serializer (volatile only so that a read from elsewhere is not torn or stale).
  private volatile boolean lastMessageCompressed;
  // The status the call was closed with here (by the application or the core), or null.
  private volatile Status closedWith;

  ServerCallImpl(
      ServerTransportStream stream,
      MethodDescriptor<ReqT, RespT> method,
      Marshaller<RespT> responseMarshaller,
      CompressorRegistry compressors,
      IntConsumer heldRequests,
      ServerTracing tracing) {
    this.stream = stream;
    this.tracing = tracing;
    this.heldRequests = heldRequests;
    this.method = method;
    this.responseMarshaller = responseMarshaller;
    this.compressors = compressors;
    this.singleResponse = method.getType().serverSendsOneMessage();
  }

  @Override
  public void request(int numMessages) {
    if (numMessages < 0) {
      throw new IllegalArgumentException("numMessages must not be negative: " + numMessages);
    }
    if (heldRequests != null) {
      heldRequests.accept(numMessages); // thread-safe
      return;
    }
    synchronized (streamLock) {
      stream.request(numMessages);
    }
  }

  @Override
  public void sendHeaders(Metadata headers) {
    Objects.requireNonNull(headers, "headers");
    synchronized (streamLock) {
      checkNotClosed();
      if (headersSent) {
        throw new IllegalStateException("headers were already sent");
      }
      headersSent = true;
      if (tracing != null) {
        tracing.outboundHeaders(headers);
      }
      stream.writeHeaders(headers);
      if (!singleResponse) {
        stream.flush(); // a single response's headers go out with it
      }
    }
  }

  @Override
  public void sendMessage(RespT message) {
    synchronized (streamLock) {
      checkNotClosed();
      if (singleResponse && messageSent) {
        fail(Status.INTERNAL.withDescription("Too many responses"));
        return;
      }
      if (!headersSent) {
        headersSent = true;
        Metadata headers = new Metadata();
        if (tracing != null) {
          tracing.outboundHeaders(headers);
        }
        stream.writeHeaders(headers);
      }
      messageSent = true;
      try {
        stream.writeMessage(message, responseMarshaller);
        if (!singleResponse) {
          stream.flush(); // a single response is flushed with the trailers
        }
      } catch (RuntimeException e) {
        fail(Status.INTERNAL.withDescription("Failed to encode the response").withCause(e));
      }
    }
  }

  @Override
  public void close(Status status, Metadata trailers) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(trailers, "trailers");
    synchronized (streamLock) {
      if (closeCalled) {
        throw new IllegalStateException("call already closed");
      }
      closeCalled = true;
      if (status.isOk() && singleResponse && !messageSent) {
        abort(Status.INTERNAL.withDescription("Completed without a response"));
        return;
      }
      closedWith = status;
      stream.close(status, trailers);
    }
  }

  /**
   * Ends the call from the core: sends {@code status} with empty trailers, then resets the stream
   * so the client stops sending. The listener will get {@code onCancel}. No-op when the call was
   * already closed. Any thread.
   *
   * @return whether this call ended it
   */
  boolean fail(Status status) {
    synchronized (streamLock) {
      if (closeCalled) {
        return false;
      }
      closeCalled = true;
      abort(status);
      return true;
    }
  }

  private void abort(Status status) {
    closedWith = status;
    failed = true;
    cancelled = true;
    stream.close(status, new Metadata());
    stream.cancel(status);
  }

  private void checkNotClosed() {
    if (closeCalled) {
      throw new IllegalStateException("call already closed");
    }
  }

  /**
   * {@return the status the call ended with, for telemetry, given the transport's {@code
   * transportStatus}} The one it was closed with here, unless the stream failed after an OK close.
   */
  Status endStatus(Status transportStatus) {
    Status closed = closedWith;
    return closed != null && (transportStatus.isOk() || !closed.isOk()) ? closed : transportStatus;
  }

  /** The transport reported the stream ended abnormally. Any thread. */
  void markCancelled() {
    cancelled = true;
  }

  /** True when the application's listener should get no more messages or half-close. */
  boolean isDone() {
    return closeCalled || cancelled;
  }

  /** True when the call ended through {@link #fail}. */
  boolean hasFailed() {
    return failed;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
    return method;
  }

  @Override
  public boolean isReady() {
    return !closeCalled && stream.isReady();
  }

  @Override
  public void setCompression(String compressorName) {
    Objects.requireNonNull(compressorName, "compressorName");
    if (compressors.compressor(compressorName) == null) {
      throw new IllegalArgumentException(
          "unknown compressor '"
              + compressorName
              + "' (known: "
              + compressors.acceptEncoding()
              + ")");
    }
    synchronized (streamLock) {
      if (headersSent) {
        throw new IllegalStateException("setCompression must come before the headers are sent");
      }
      stream.setCompression(compressorName);
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    synchronized (streamLock) {
      stream.setMessageCompression(enabled);
    }
  }

  /** Records how the message about to be delivered arrived. Called in the serializer. */
  void messageArriving(boolean compressed) {
    lastMessageCompressed = compressed;
  }

  @Override
  public boolean isLastMessageCompressed() {
    return lastMessageCompressed;
  }

  @Override
  public Deadline getDeadline() {
    return stream.deadline();
  }

  @Override
  public String getAuthority() {
    return stream.authority();
  }

  @Override
  public Attributes getAttributes() {
    return stream.attributes();
  }
}
