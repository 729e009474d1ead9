package dev.switchboard.server.internal;

import dev.switchboard.api.Context;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.SerializingExecutor;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.transport.ServerTransportStream;
import dev.switchboard.api.transport.ServerTransportStreamListener;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Carries one call's transport events to the application. The transport calls the {@link
 * ServerTransportStreamListener} methods on its thread; they only record state and post tasks to
 * the call's {@link SerializingExecutor}, in which the handler starts and every {@link
 * ServerCallListener} callback runs (requests are decoded there too, off the transport thread).
 *
 * <p>Rules enforced here: a method whose client sends one message gets exactly one (a second one,
 * or a half-close without any, ends the call with INTERNAL); a handler or listener that throws ends
 * the call with UNKNOWN (the exception is logged, not sent); a request that cannot be decoded ends
 * it with INTERNAL; the deadline, when there is one, resets the stream with DEADLINE_EXCEEDED. The
 * listener's last callback is {@code onComplete} when the call closed normally, else {@code
 * onCancel}; after it the call's codec lease is closed.
 */
final class CallStreamListener<ReqT, RespT> implements ServerTransportStreamListener {
  private static final System.Logger LOG = System.getLogger(CallStreamListener.class.getName());
  private static final Status APPLICATION_ERROR =
      Status.UNKNOWN.withDescription("Application error processing RPC");

  private final ServerCallImpl<ReqT, RespT> call;
  private final ServerTransportStream stream;
  private final Marshaller<ReqT> requestMarshaller;
  private final SerializingExecutor serializer;

  /** Current while the call's handler and listener run; cancelled when the call ends. */
  private final Context.CancellableContext context;

  private final Lease<CodecProvider> codecLease; // null: the method's own marshallers
  private final boolean singleRequest;

  // Only touched in the serializer.
  private ServerCallListener<ReqT> listener; // null until the handler returned one
  private boolean requestReceived;

  // Hand-off between the transport thread and whoever arms the deadline.
  private volatile boolean streamClosed;
  private volatile ScheduledFuture<?> deadlineTimer;

  CallStreamListener(
      ServerCallImpl<ReqT, RespT> call,
      ServerTransportStream stream,
      Marshaller<ReqT> requestMarshaller,
      Lease<CodecProvider> codecLease,
      SerializingExecutor serializer) {
    this.call = call;
    this.stream = stream;
    this.requestMarshaller = requestMarshaller;
    this.codecLease = codecLease;
    this.serializer = serializer;
    this.context = Context.ROOT.withCancellation(stream.deadline());
    this.singleRequest = call.getMethodDescriptor().getType().clientSendsOneMessage();
  }

  /** Resets the stream with DEADLINE_EXCEEDED when {@code deadline} passes, unless it ended. */
  void armDeadline(Deadline deadline, ScheduledExecutorService timer) {
    ScheduledFuture<?> timerFuture =
        timer.schedule(
            this::deadlineExpired,
            deadline.timeRemaining(TimeUnit.NANOSECONDS),
            TimeUnit.NANOSECONDS);
    deadlineTimer = timerFuture;
    if (streamClosed) {
      timerFuture.cancel(false);
    }
  }

  private void deadlineExpired() {
    stream.cancel(Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded"));
  }

  /** Posts the start of the call: {@code handler.startCall} runs in the serializer. */
  void start(ServerCallHandler<ReqT, RespT> handler, Metadata headers) {
    post(() -> startCall(handler, headers));
  }

  @Override
  public void messageRead(InputStream message, boolean compressed) {
    post(() -> deliverMessage(message, compressed));
  }

  @Override
  public void halfClosed() {
    post(this::deliverHalfClose);
  }

  @Override
  public void closed(Status status) {
    streamClosed = true;
    ScheduledFuture<?> timerFuture = deadlineTimer;
    if (timerFuture != null) {
      timerFuture.cancel(false);
    }
    if (!status.isOk()) {
      call.markCancelled(); // visible to isCancelled() at once, before the task runs
    }
    // Calls the handler made on the call's behalf end with it, now rather than after the task.
    context.cancel(status);
    post(() -> deliverClosedAndRelease(status)); // never dropped, even when rejected
  }

  @Override
  public void onReady() {
    post(this::deliverReady);
  }

  /**
   * Queues {@code task} in the call's serializer; when the server executor rejects it, it runs on
   * this (transport) thread instead of being lost (see {@link SerializingExecutor}).
   */
  private void post(Runnable task) {
    serializer.execute(new InContext(task));
  }

  /** Runs a task of the call with the call's context current. */
  private final class InContext implements Runnable {
    private final Runnable task;

    InContext(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      Context previous = context.attach();
      try {
        task.run();
      } finally {
        context.detach(previous);
      }
    }
  }

  /** The call's last task: nothing decodes or encodes after it, so the codec is released. */
  private void deliverClosedAndRelease(Status status) {
    try {
      deliverClosed(status);
    } finally {
      releaseCodec();
    }
  }

  private void releaseCodec() {
    if (codecLease != null) {
      codecLease.close();
    }
  }

  private void startCall(ServerCallHandler<ReqT, RespT> handler, Metadata headers) {
    if (call.isCancelled()) {
      return; // e.g. the deadline had already passed: no handler needs to see it
    }
    try {
      ServerCallListener<ReqT> started = handler.startCall(call, headers);
      if (started == null) {
        throw new NullPointerException("startCall returned a null listener");
      }
      listener = started;
    } catch (RuntimeException | Error e) {
      applicationFailed(e);
    }
  }

  private void deliverMessage(InputStream message, boolean compressed) {
    try {
      if (listener == null || call.isDone()) {
        return;
      }
      if (singleRequest && requestReceived) {
        call.fail(Status.INTERNAL.withDescription("Too many requests"));
        return;
      }
      requestReceived = true;
      ReqT request;
      try {
        request = requestMarshaller.decode(message);
      } catch (IOException | RuntimeException e) {
        call.fail(Status.INTERNAL.withDescription("Failed to decode the request").withCause(e));
        return;
      }
      call.messageArriving(compressed);
      listener.onMessage(request);
    } catch (RuntimeException | Error e) {
      applicationFailed(e);
    } finally {
      closeQuietly(message);
    }
  }

  private void deliverHalfClose() {
    if (listener == null || call.isDone()) {
      return;
    }
    if (singleRequest && !requestReceived) {
      call.fail(Status.INTERNAL.withDescription("Half-closed without a request"));
      return;
    }
    try {
      listener.onHalfClose();
    } catch (RuntimeException | Error e) {
      applicationFailed(e);
    }
  }

  private void deliverReady() {
    if (listener == null || call.isDone()) {
      return;
    }
    try {
      listener.onReady();
    } catch (RuntimeException | Error e) {
      applicationFailed(e);
    }
  }

  private void deliverClosed(Status status) {
    ServerCallListener<ReqT> last = listener;
    listener = null; // nothing after the last event
    if (last == null) {
      return;
    }
    try {
      if (status.isOk() && !call.hasFailed()) {
        last.onComplete();
      } else {
        last.onCancel();
      }
    } catch (RuntimeException | Error e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "listener of "
              + call.getMethodDescriptor().getFullMethodName()
              + " threw at the end of the call",
          e);
    }
  }

  private void applicationFailed(Throwable t) {
    LOG.log(
        System.Logger.Level.WARNING,
        "handler of " + call.getMethodDescriptor().getFullMethodName() + " threw",
        t);
    call.fail(APPLICATION_ERROR.withCause(t));
  }

  private static void closeQuietly(InputStream message) {
    try {
      message.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing a request message failed", e);
    }
  }
}
