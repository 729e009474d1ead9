package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.SerializingExecutor;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Delivers one call's transport events to its application listener: each event, from whatever
 * transport thread, becomes a task on the call's {@link SerializingExecutor}, so callbacks never
 * overlap and keep their order. Response messages are decoded there and their streams always
 * closed, even after the call ended. It enforces the response count of unary and client-streaming
 * methods (exactly one), and turns a decode failure or a listener exception into a cancellation
 * whose status overrides whatever the transport reports next.
 *
 * <p>{@code onReady} is delivered only once the call has published its stream, so that the
 * listener's {@code isReady()} check in {@code onReady} sees the stream that reported it.
 *
 * <p>State is confined to the call executor, but for the hand-off of a held-back {@code onReady};
 * the listener is closed exactly once.
 */
final class ResponseDispatcher<RespT> implements ClientTransportStreamListener {
  private static final System.Logger LOG = System.getLogger(ResponseDispatcher.class.getName());

  private final MethodDescriptor<?, RespT> method;
  private final Deadline deadline; // may be null
  private final SerializingExecutor executor;
  private final ClientStreamListener<RespT> listener;
  private final Marshaller<RespT> marshaller;
  private final ClientStreamImpl<?, RespT> call;
  private final boolean unaryResponse;

  private static final int STREAM_UNPUBLISHED = 0;
  private static final int READY_HELD_BACK = 1;
  private static final int STREAM_PUBLISHED = 2;

  @SuppressWarnings("rawtypes") // a class literal of a generic class is raw
  private static final AtomicIntegerFieldUpdater<ResponseDispatcher> READY_GATE =
      AtomicIntegerFieldUpdater.newUpdater(ResponseDispatcher.class, "readyGate");

  /**
   * Whether the call's stream is visible to {@code isReady()} yet, and whether an {@code onReady}
   * waits for it: the call executor and the caller's thread hand off through it.
   */
  private volatile int readyGate = STREAM_UNPUBLISHED;

  // Only touched on the call executor.
  private boolean closed;
  private Status abortStatus;
  private int responses;

  /**
   * @param marshaller decodes responses; {@code null} for a call closed before the network
   */
  ResponseDispatcher(
      MethodDescriptor<?, RespT> method,
      Deadline deadline,
      SerializingExecutor executor,
      ClientStreamListener<RespT> listener,
      Marshaller<RespT> marshaller,
      ClientStreamImpl<?, RespT> call) {
    this.method = method;
    this.deadline = deadline;
    this.executor = executor;
    this.listener = listener;
    this.marshaller = marshaller;
    this.call = call;
    this.unaryResponse = method.getType().serverSendsOneMessage();
  }

  /** Closes a call that never reached the network. */
  void closeEarly(Status status) {
    executor.execute(() -> closeListener(status, new Metadata()));
  }

  @Override
  public void headersRead(Metadata headers) {
    executor.execute(new HeadersRead(headers));
  }

  @Override
  public void messageRead(InputStream message) {
    executor.execute(new MessageRead(message));
  }

  @Override
  public void closed(Status status, Metadata trailers) {
    executor.execute(new StreamClosed(status, trailers));
  }

  @Override
  public void onReady() {
    executor.execute(new StreamReady());
  }

  /**
   * The call's stream is now visible to {@code isReady()}: an {@code onReady} that came before is
   * delivered now. Call once, on the caller's thread, right after publishing the stream.
   */
  void streamPublished() {
    if (READY_GATE.getAndSet(this, STREAM_PUBLISHED) == READY_HELD_BACK) {
      executor.execute(new StreamReady());
    }
  }

  /** True (and remembered) when the stream is not yet published, so isReady() would say false. */
  private boolean holdBackUntilPublished() {
    int gate = readyGate;
    while (gate != STREAM_PUBLISHED) {
      if (READY_GATE.compareAndSet(this, gate, READY_HELD_BACK)) {
        return true;
      }
      gate = readyGate;
    }
    return false;
  }

  private boolean ended() {
    return closed || abortStatus != null;
  }

  /** Fails the call with {@code status}, whatever the transport says next. */
  private void abort(Status status) {
    if (abortStatus == null) {
      abortStatus = status;
    }
    call.cancelWith(status);
  }

  private void closeListener(Status status, Metadata trailers) {
    closed = true;
    call.ended(status); // counted and traced before the application can see the end
    try {
      listener.onClose(status, trailers);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "call listener threw in onClose", e);
    } finally {
      call.listenerClosed();
    }
  }

  private Status listenerFailed(String callback, RuntimeException e) {
    return Status.CANCELLED
        .withDescription("call listener threw in " + callback + ": " + e)
        .withCause(e);
  }

  private final class HeadersRead implements Runnable {
    private final Metadata headers;

    HeadersRead(Metadata headers) {
      this.headers = headers;
    }

    @Override
    public void run() {
      if (ended()) {
        return;
      }
      try {
        listener.onHeaders(headers);
      } catch (RuntimeException e) {
        abort(listenerFailed("onHeaders", e));
      }
    }
  }

  private final class MessageRead implements Runnable {
    private final InputStream message;

    MessageRead(InputStream message) {
      this.message = message;
    }

    @Override
    public void run() {
      try {
        deliver();
      } finally {
        try {
          message.close();
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.DEBUG, "closing a response message failed", e);
        }
      }
    }

    private void deliver() {
      if (ended()) {
        return;
      }
      if (unaryResponse && responses > 0) {
        abort(
            Status.INTERNAL.withDescription(
                "server sent more than one response message for "
                    + method.getType()
                    + " method "
                    + method.getFullMethodName()));
        return;
      }
      RespT value;
      try {
        value = marshaller.decode(message);
      } catch (IOException | RuntimeException e) {
        abort(
            Status.INTERNAL
                .withDescription(
                    "failed to decode the response of " + method.getFullMethodName() + ": " + e)
                .withCause(e));
        return;
      }
      responses++;
      try {
        listener.onMessage(value);
      } catch (RuntimeException e) {
        abort(listenerFailed("onMessage", e));
      }
    }
  }

  private final class StreamClosed implements Runnable {
    private final Status status;
    private final Metadata trailers;

    StreamClosed(Status status, Metadata trailers) {
      this.status = status;
      this.trailers = trailers;
    }

    @Override
    public void run() {
      if (closed) {
        return;
      }
      if (abortStatus != null) {
        closeListener(abortStatus, new Metadata());
      } else if (status.isOk() && unaryResponse && responses == 0) {
        closeListener(
            Status.INTERNAL.withDescription(
                "server closed the "
                    + method.getType()
                    + " call to "
                    + method.getFullMethodName()
                    + " with OK but sent no response message"),
            trailers);
      } else if (status.getCode() == Status.Code.CANCELLED
          && deadline != null
          && deadline.isExpired()) {
        // The server's deadline timer cancelled the stream before ours fired: same cause.
        closeListener(
            Status.DEADLINE_EXCEEDED.withDescription(
                "deadline exceeded calling "
                    + method.getFullMethodName()
                    + " (the server's deadline timer fired first)"),
            trailers);
      } else {
        closeListener(status, trailers);
      }
    }
  }

  private final class StreamReady implements Runnable {
    @Override
    public void run() {
      if (ended() || holdBackUntilPublished()) {
        return;
      }
      try {
        listener.onReady();
      } catch (RuntimeException e) {
        abort(listenerFailed("onReady", e));
      }
    }
  }
}
