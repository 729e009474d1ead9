package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Context;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.SerializingExecutor;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.telemetry.ClientCallInfo;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.transport.ClientTransportStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One call (grpc-java's {@code ClientCallImpl}, grpc-go's {@code clientStream}), created by the
 * channel past its interceptors ({@code ClientConnImpl.newCall}): resolves marshallers, enforces
 * the deadline with a timer, and forwards the application's requests to its transport stream, a
 * {@link RetriableStream} whose attempts pick with the channel's {@link PickerWrapper} (retrying
 * transparently the ones no server saw). A {@link ResponseDispatcher} delivers the transport's
 * events to the listener on the call executor. The call reaches the rest of the channel only
 * through {@link ChannelCalls}.
 *
 * <p>The codec is leased for the call's lifetime.
 *
 * <p>Failures before the network is touched (closing channel, missing codec or compressor, expired
 * deadline) close the listener without creating a stream. {@link #cancel} works from any thread at
 * any time; the listener is closed exactly once.
 */
final class ClientStreamImpl<ReqT, RespT> extends ClientStream<ReqT, RespT> {
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions callOptions;
  private final ChannelCalls calls;
  private final Executor rawExecutor;
  private final Context context; // the caller's, when the call was made
  private final RetryPolicy retryPolicy; // null: only transparent retries
  private final HedgingPolicy hedgingPolicy; // null: not hedged
  private final RetryThrottle throttle; // null: not throttled

  // Caller's thread: ClientStream methods other than cancel() do not overlap.
  private boolean started;
  private boolean halfClosed;
  // Any thread.
  private volatile ClientTransportStream<ReqT> stream;
  private final AtomicReference<Status> cancelStatus = new AtomicReference<>();
  private volatile ScheduledFuture<?> deadlineTimer;
  private volatile AutoCloseable contextRegistration;
  private volatile boolean done;
  // Written in start() before the dispatcher can run a task that reads them.
  private boolean registered;
  private Lease<CodecProvider> codecLease;
  private CallTracing tracing; // null: untraced

  ClientStreamImpl(
      MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions,
      ChannelCalls calls,
      Executor executor,
      Context context,
      RetryPolicy retryPolicy,
      HedgingPolicy hedgingPolicy,
      RetryThrottle throttle) {
    this.method = Objects.requireNonNull(method, "method");
    this.callOptions = Objects.requireNonNull(callOptions, "callOptions");
    this.calls = calls;
    this.rawExecutor = executor;
    this.context = Objects.requireNonNull(context, "context");
    this.retryPolicy = retryPolicy;
    this.hedgingPolicy = hedgingPolicy;
    this.throttle = throttle;
  }

  @Override
  public void start(ClientStreamListener<RespT> listener, Metadata headers) {
    if (started) {
      throw new IllegalStateException("call already started");
    }
    started = true;
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(headers, "headers");
    calls.callStarted(); // ended by ended(), from the dispatcher that every started call reaches
    List<ClientCallTracer.Factory> tracerFactories = calls.tracerFactories();
    if (!tracerFactories.isEmpty()) {
      tracing =
          CallTracing.start(
              tracerFactories, new ClientCallInfo(method, calls.target(), callOptions), context);
    }
    SerializingExecutor callExecutor = new SerializingExecutor(rawExecutor);
    Marshaller<ReqT> requestMarshaller = null;
    Marshaller<RespT> responseMarshaller = null;
    Status early = cancelStatus.get();
    if (early == null) {
      try {
        Marshallers.ForCall<ReqT, RespT> found = Marshallers.forCall(method, calls.codecRegistry());
        requestMarshaller = found.request();
        responseMarshaller = found.response();
        codecLease = found.lease();
        if (codecLease != null) {
          calls.codecLookedUp(method.getCodecName(), codecLease, null);
        }
      } catch (StatusException e) {
        early = e.getStatus();
        calls.codecLookedUp(method.getCodecName(), null, early);
      }
    }
    if (early == null) {
      early = checkCompressor();
    }
    if (early == null && context.isCancelled()) {
      early = cancelledByContext();
    }
    Deadline deadline = callOptions.getDeadline();
    if (early == null && deadline != null && deadline.isExpired()) {
      early =
          Status.DEADLINE_EXCEEDED.withDescription(
              "deadline exceeded before the call started ("
                  + seconds(-deadline.timeRemaining(TimeUnit.NANOSECONDS))
                  + " ago)");
    }
    if (early == null) {
      early = calls.register(this);
      registered = early == null;
    }
    ResponseDispatcher<RespT> dispatcher =
        new ResponseDispatcher<>(
            method, deadline, callExecutor, listener, responseMarshaller, this);
    if (early != null) {
      dispatcher.closeEarly(early);
      return;
    }
    long timeoutNanos = deadline == null ? 0 : deadline.timeRemaining(TimeUnit.NANOSECONDS);
    ReplayingStream<ReqT> s =
        hedgingPolicy != null
            ? new HedgingStream<>(
                calls.pickerWrapper(),
                method,
                headers,
                callOptions,
                requestMarshaller,
                rawExecutor,
                calls.newReplayBuffer(),
                hedgingPolicy,
                throttle,
                calls.timer())
            : new RetriableStream<>(
                calls.pickerWrapper(),
                method,
                headers,
                callOptions,
                requestMarshaller,
                rawExecutor,
                calls.newReplayBuffer(),
                retryPolicy,
                retryPolicy == null ? null : throttle,
                calls.timer(),
                () -> ThreadLocalRandom.current().nextDouble());
    s.traceWith(tracing);
    s.start(dispatcher);
    stream = s; // published after start: a concurrent cancel() never reaches an unstarted stream
    dispatcher.streamPublished();
    Status cancelled = cancelStatus.get();
    if (cancelled != null) {
      s.cancel(cancelled);
    }
    if (deadline != null) {
      deadlineTimer =
          calls
              .timer()
              .schedule(new DeadlineExpired(timeoutNanos), timeoutNanos, TimeUnit.NANOSECONDS);
      if (done) {
        deadlineTimer.cancel(false);
      }
    }
    if (context != Context.ROOT) {
      contextRegistration = context.addCancellationListener(this::contextCancelled);
      if (done) {
        closeContextRegistration();
      }
    }
  }

  /** The context the call was made in (a server call's) was cancelled: so is this call. */
  private void contextCancelled() {
    cancelWith(cancelledByContext());
  }

  private Status cancelledByContext() {
    Status cause = context.cancellationCause();
    String why =
        "the call it was made for ended"
            + (cause == null || cause.isOk() ? "" : " (" + cause.getCode() + ")");
    return cause != null && cause.getCode() == Status.Code.DEADLINE_EXCEEDED
        ? Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded: " + why)
        : Status.CANCELLED.withDescription("cancelled: " + why);
  }

  private void closeContextRegistration() {
    AutoCloseable registration = contextRegistration;
    if (registration != null) {
      try {
        registration.close();
      } catch (Exception e) {
        // removing a listener does not fail
      }
    }
  }

  private Status checkCompressor() {
    String name = callOptions.getCompressorName();
    if (name == null || calls.compressorRegistry().compressor(name) != null) {
      return null;
    }
    return Status.INTERNAL.withDescription(
        "no compressor '" + name + "' deployed: " + calls.compressorRegistry().howToDeploy(name));
  }

  @Override
  public void request(int numMessages) {
    checkStarted();
    if (numMessages < 0) {
      throw new IllegalArgumentException("numMessages must not be negative: " + numMessages);
    }
    ClientTransportStream<ReqT> s = stream;
    if (s != null) {
      s.request(numMessages);
    }
  }

  @Override
  public void sendMessage(ReqT message) {
    checkStarted();
    if (halfClosed) {
      throw new IllegalStateException("call was half-closed");
    }
    ClientTransportStream<ReqT> s = stream;
    if (s != null) {
      s.writeMessage(message);
      if (!method.getType().clientSendsOneMessage()) {
        s.flush();
      }
    }
  }

  @Override
  public void halfClose() {
    checkStarted();
    if (halfClosed) {
      throw new IllegalStateException("call was already half-closed");
    }
    halfClosed = true;
    ClientTransportStream<ReqT> s = stream;
    if (s != null) {
      s.halfClose();
    }
  }

  @Override
  public void cancel(String message, Throwable cause) {
    String description =
        message != null
            ? message
            : cause != null ? "cancelled: " + cause : "cancelled by the caller";
    cancelWith(Status.CANCELLED.withDescription(description).withCause(cause));
  }

  /** Ends the call with {@code status} (CANCELLED, DEADLINE_EXCEEDED, ...). Any thread. */
  void cancelWith(Status status) {
    cancelStatus.compareAndSet(null, status);
    ClientTransportStream<ReqT> s = stream;
    if (s != null) {
      s.cancel(status);
    }
  }

  @Override
  public boolean isReady() {
    ClientTransportStream<ReqT> s = stream;
    return s != null && !done && s.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    ClientTransportStream<ReqT> s = stream;
    if (s != null) {
      s.setMessageCompression(enabled);
    }
  }

  private void checkStarted() {
    if (!started) {
      throw new IllegalStateException("call not started");
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
  }

  /** The call ended with {@code status}, its listener is about to hear it: counted and traced. */
  void ended(Status status) {
    calls.callEnded(status.isOk());
    if (tracing != null) {
      tracing.callEnded(status);
    }
  }

  /** The listener was closed: the call is over. Runs on the call executor. */
  void listenerClosed() {
    done = true;
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    if (codecLease != null) {
      codecLease.close();
    }
    if (registered) {
      calls.unregister(this);
    }
    closeContextRegistration();
  }

  /** The deadline passed: cancel the stream with DEADLINE_EXCEEDED. Runs on the timer thread. */
  private final class DeadlineExpired implements Runnable {
    private final long timeoutNanos;

    DeadlineExpired(long timeoutNanos) {
      this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void run() {
      cancelWith(
          Status.DEADLINE_EXCEEDED.withDescription(
              "deadline exceeded after "
                  + seconds(timeoutNanos)
                  + " calling "
                  + method.getFullMethodName()));
    }
  }
}
