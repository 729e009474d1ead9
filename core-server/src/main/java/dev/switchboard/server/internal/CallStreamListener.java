package dev.switchboard.server.internal;

import dev.switchboard.api.Context;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.SerializingExecutor;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.transport.ServerTransportStream;
import dev.switchboard.api.transport.ServerTransportStreamListener;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p>Flow control of single-request calls: for a method whose client sends one message (unary,
 * server streaming), the request is asked of the transport when the stream arrives, so that the
 * handler's start, the request and the half-close usually reach the application in one hand-off to
 * its executor instead of three (start, then the transport's answer to {@code request}). The
 * application's {@code request(n)} still decides when its listener gets the message: until it
 * asked, the message waits here (see {@link #requestFromApplication}).
 */
final class CallStreamListener<ReqT, RespT> implements ServerTransportStreamListener {
  private static final System.Logger LOG = System.getLogger(CallStreamListener.class.getName());
  private static final Status APPLICATION_ERROR =
      Status.UNKNOWN.withDescription("Application error processing RPC");

  private final ServerCallImpl<ReqT, RespT> call;
  private final ServerTransportStream stream;
  private final Marshaller<ReqT> requestMarshaller;
  private final SerializingExecutor serializer;

  /** Cancelled when the call ends. */
  private final Context.CancellableContext context;

  /**
   * Current while the call's handler and listener run: {@link #context}, as tracers filtered it.
   */
  private final Context runContext;

  private final ServerTracing tracing; // null: untraced

  private final Lease<CodecProvider> codecLease; // null: the method's own marshallers
  private final boolean singleRequest;

  // Only touched in the serializer.
  private ServerCallListener<ReqT> listener; // null until the handler returned one
  private boolean requestReceived;
  private InputStream heldMessage; // single-request calls: arrived before the application asked
  private boolean heldCompressed;
  private boolean halfCloseHeld; // the half-close came while a message was held

  // Single-request calls: messages the application asked for and has not yet been given. Any
  // thread adds; the serializer takes. messageHeld is set before the serializer re-reads demand,
  // and read after a requester added to it, so one of the two always delivers a held message.
  private final AtomicInteger demand = new AtomicInteger();
  private volatile boolean messageHeld;

  // Hand-off between the transport thread and whoever arms the deadline.
  private volatile boolean streamClosed;
  private volatile ScheduledFuture<?> deadlineTimer;

  CallStreamListener(
      ServerTransportStream stream,
      MethodDescriptor<ReqT, RespT> method,
      CallMarshallers<ReqT, RespT> marshallers,
      CompressorRegistry compressors,
      SerializingExecutor serializer,
      ServerTracing tracing) {
    this.stream = stream;
    this.tracing = tracing;
    this.requestMarshaller = marshallers.request();
    this.codecLease = marshallers.codecLease();
    this.serializer = serializer;
    this.context = Context.ROOT.withCancellation(stream.deadline());
    this.runContext = tracing == null ? context : tracing.filterContext(context);
    this.singleRequest = method.getType().clientSendsOneMessage();
    this.call =
        new ServerCallImpl<>(
            stream,
            method,
            marshallers.response(),
            compressors,
            singleRequest ? this::requestFromApplication : null,
            tracing);
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

  /**
   * Posts the start of the call: {@code handler.startCall} runs in the serializer. A single-request
   * call's message is asked of the transport now (see the class comment).
   */
  void start(ServerCallHandler<ReqT, RespT> handler, Metadata headers) {
    post(() -> startCall(handler, headers));
    if (singleRequest) {
      stream.request(2); // the request, and a second one to refuse as too many
    }
  }

  /**
   * The application's {@code request(numMessages)} on a single-request call: the transport was
   * already asked, so this only lets the held message (if any) through. Any thread.
   */
  void requestFromApplication(int numMessages) {
    if (numMessages <= 0) {
      return;
    }
    int before = demand.getAndAdd(numMessages);
    if (before < 0 || before + numMessages < 0) {
      demand.set(Integer.MAX_VALUE); // saturate instead of overflowing
    }
    if (messageHeld) {
      post(this::releaseHeldMessage);
    }
  }

  @Override
  public void inboundMessageSize(long wireSize, long uncompressedSize) {
    if (tracing != null) {
      tracing.inboundMessage(wireSize, uncompressedSize);
    }
  }

  @Override
  public void outboundMessageSize(long wireSize, long uncompressedSize) {
    if (tracing != null) {
      tracing.outboundMessage(wireSize, uncompressedSize);
    }
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
    if (tracing != null) {
      tracing.callEnded(call.endStatus(status));
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
      Context previous = runContext.attach();
      try {
        task.run();
      } finally {
        runContext.detach(previous);
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
    boolean held = false;
    try {
      if (listener == null || call.isDone()) {
        return;
      }
      if (singleRequest && requestReceived) {
        call.fail(Status.INTERNAL.withDescription("Too many requests"));
        return;
      }
      requestReceived = true;
      if (singleRequest && !takeDemand()) {
        holdMessage(message, compressed);
        held = true;
        return;
      }
      decodeAndDeliver(message, compressed);
    } finally {
      if (!held) {
        closeQuietly(message);
      }
    }
  }

  /** Takes one unit of the application's demand; false when it has asked for nothing yet. */
  private boolean takeDemand() {
    int d;
    do {
      d = demand.get();
      if (d <= 0) {
        return false;
      }
    } while (!demand.compareAndSet(d, d == Integer.MAX_VALUE ? d : d - 1));
    return true;
  }

  private void holdMessage(InputStream message, boolean compressed) {
    heldMessage = message;
    heldCompressed = compressed;
    messageHeld = true;
    if (demand.get() > 0) {
      releaseHeldMessage(); // a request raced with the hold
    }
  }

  /** Delivers the held message (and a half-close that waited for it) once it was asked for. */
  private void releaseHeldMessage() {
    InputStream message = heldMessage;
    if (message == null || !takeDemand()) {
      return;
    }
    heldMessage = null;
    messageHeld = false;
    try {
      if (listener != null && !call.isDone()) {
        decodeAndDeliver(message, heldCompressed);
      }
    } finally {
      closeQuietly(message);
    }
    if (halfCloseHeld) {
      halfCloseHeld = false;
      deliverHalfClose();
    }
  }

  private void decodeAndDeliver(InputStream message, boolean compressed) {
    try {
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
    }
  }

  private void deliverHalfClose() {
    if (listener == null || call.isDone()) {
      return;
    }
    if (heldMessage != null) {
      halfCloseHeld = true; // after the message, once the application asks for it
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
    InputStream unread = heldMessage;
    if (unread != null) {
      heldMessage = null;
      messageHeld = false;
      closeQuietly(unread); // never asked for: release its buffer
    }
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
