package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * A call's transport stream with gRPC's transparent retry: when an attempt closes {@link
 * StreamProgress#REFUSED} (no server application can have seen it: its transport was shutting down
 * or failed before it was written, or the server refused it by REFUSED_STREAM or GOAWAY) and no
 * response has arrived, the call is picked again and started on another transport, replaying what
 * the application did so far; the application never sees the refused attempt. This covers the races
 * of a balancer switch, a provider leaving and a GOAWAY with the streams that were being started at
 * that moment.
 *
 * <p>Operations are recorded until the first response headers or message (the call is then
 * committed: it will not be retried) or until they pass the {@link ReplayBuffer}'s limits
 * (operations, the call's bytes, the channel's bytes); at most {@value #MAX_TRANSPARENT_RETRIES}
 * retries per call. The call's deadline and cancellation apply across attempts.
 *
 * <p>Readiness: {@link #isReady} asks the current attempt's stream, which is published only once
 * the pick returned it; an {@code onReady} that the stream reports before that is held back and
 * delivered when it is published, so no wake-up is lost while {@code isReady} still says false.
 *
 * <p>Thread-safety: the application's thread sends operations and transport threads report events.
 * {@link #lock} guards the attempt, the recording and the cancel status; it is held while an
 * operation is passed to the current attempt (transport stream methods do not block and do not call
 * back under a lock), but never while picking, which may enter the channel's serializer. A retry
 * runs on the call executor, not on the transport thread that reported the refusal.
 */
final class RetriableStream<ReqT> extends ReplayingStream<ReqT> {
  private static final System.Logger LOG = System.getLogger(RetriableStream.class.getName());
  static final int MAX_TRANSPARENT_RETRIES = 8;

  /**
   * Where attempts come from: a pick, returning a stream already started with the attempt's
   * listener. In the channel it is the {@link PickerWrapper}; the interface is the seam {@code
   * RetriableStreamTest} replaces with transports it refuses on demand. Thread-safe.
   */
  interface Attempts {
    <ReqT> ClientTransportStream<ReqT> newAttempt(
        MethodDescriptor<ReqT, ?> method,
        Metadata headers,
        CallOptions callOptions,
        Marshaller<ReqT> marshaller,
        ClientTransportStreamListener listener,
        Executor callExecutor);
  }

  private final Attempts attempts;
  private final MethodDescriptor<ReqT, ?> method;
  private final Metadata headers;
  private final CallOptions callOptions;
  private final Marshaller<ReqT> marshaller;
  private final Executor callExecutor;
  private volatile ClientTransportStreamListener listener;

  private final Object lock = new Object();

  // Guarded by lock (volatile for isReady's unlocked read).
  /** The attempt operations go to; null between a refused attempt and its retry. */
  private volatile Attempt current;

  /** Operations so far, for a retry; null once committed or past its limits. */
  private ReplayBuffer<ReqT> recorded;

  private Status cancelled;
  private int retries;

  /** Attempts launched so far, transparent ones included. */
  private int attemptsStarted;

  /** Attempts counted against the retry policy (transparent retries are not). */
  private int policyAttempts = 1;

  /** A configured retry waiting for its backoff; null otherwise. */
  private ScheduledFuture<?> pendingRetry;

  private final RetryPolicy retryPolicy; // null: no configured retries
  private final RetryThrottle throttle; // null: not throttled
  private final ScheduledExecutorService timer;
  private final DoubleSupplier random;

  /** A stream with transparent retries only. */
  RetriableStream(
      Attempts attempts,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller,
      Executor callExecutor) {
    this(
        attempts,
        method,
        headers,
        callOptions,
        marshaller,
        callExecutor,
        new ReplayBuffer<>(new ReplayBudget(Long.MAX_VALUE), Long.MAX_VALUE),
        null,
        null,
        null,
        null);
  }

  /**
   * A stream that also retries as {@code retryPolicy} says (gRFC A6), after a randomized backoff on
   * {@code timer}, throttled by {@code throttle}, keeping what the call did in {@code buffer}.
   */
  RetriableStream(
      Attempts attempts,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller,
      Executor callExecutor,
      ReplayBuffer<ReqT> buffer,
      RetryPolicy retryPolicy,
      RetryThrottle throttle,
      ScheduledExecutorService timer,
      DoubleSupplier random) {
    this.attempts = attempts;
    this.recorded = Objects.requireNonNull(buffer, "buffer");
    this.method = method;
    this.headers = headers;
    this.callOptions = callOptions;
    this.marshaller = marshaller;
    this.callExecutor = Objects.requireNonNull(callExecutor, "callExecutor");
    this.retryPolicy = retryPolicy;
    this.throttle = throttle;
    this.timer = timer;
    this.random = random;
    if (retryPolicy != null) {
      Objects.requireNonNull(timer, "timer");
      Objects.requireNonNull(random, "random");
    }
  }

  /** Attempts counted against the retry policy so far; for tests. */
  int policyAttempts() {
    synchronized (lock) {
      return policyAttempts;
    }
  }

  /** Transparent retries so far; for tests. */
  int retries() {
    synchronized (lock) {
      return retries;
    }
  }

  @Override
  public void start(ClientTransportStreamListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    Attempt attempt = new Attempt();
    synchronized (lock) {
      current = attempt;
    }
    launch(attempt, false);
  }

  /**
   * Picks and starts {@code attempt}'s stream (outside the lock), then replays onto it; {@code
   * transparent} when it replaces an attempt no server saw.
   */
  private void launch(Attempt attempt, boolean transparent) {
    int previous;
    synchronized (lock) {
      previous = attemptsStarted++;
    }
    CallOptions attemptOptions =
        previous == 0
            ? callOptions
            : callOptions.withOption(ClientTransport.PREVIOUS_RPC_ATTEMPTS, previous);
    ClientTransportStreamListener attemptListener = traced(attempt, previous, transparent);
    ClientTransportStream<ReqT> stream =
        attempts.newAttempt(
            method,
            attemptHeaders(attemptListener, headers),
            attemptOptions,
            marshaller,
            attemptListener,
            callExecutor);
    Status cancelNow;
    boolean deliverReady;
    synchronized (lock) {
      attempt.stream = stream;
      deliverReady = attempt.readyHeldBack;
      attempt.readyHeldBack = false;
      if (current != attempt) {
        return; // refused while starting; its retry has taken over
      }
      cancelNow = cancelled;
      if (cancelNow == null && recorded != null) {
        recorded.replayOn(stream);
        if (recorded.isOverLimit()) {
          stopRecording();
        }
      }
    }
    if (cancelNow != null) {
      stream.cancel(cancelNow);
    } else if (deliverReady && current == attempt) {
      listener.onReady(); // held back until isReady() could see this attempt's stream
    }
  }

  /** Drops the recording and gives its bytes back: the call will not be retried. Holds lock. */
  private void stopRecording() {
    if (recorded != null) {
      recorded.release();
      recorded = null;
    }
  }

  /**
   * Passes {@code op} to the current attempt and records it; {@code message}, when not null, is the
   * message it writes, counted against the buffer's byte limits.
   */
  @Override
  void run(Consumer<ClientTransportStream<ReqT>> op, ReqT message) {
    synchronized (lock) {
      if (cancelled != null) {
        return;
      }
      Attempt attempt = current;
      ClientTransportStream<ReqT> stream = attempt == null ? null : attempt.stream;
      if (recorded != null) {
        if (message == null) {
          recorded.add(op);
        } else {
          recorded.addMessage(op, ReplayBuffer.sizeOf(marshaller, message));
        }
        if (recorded.isOverLimit() && stream != null) {
          stopRecording(); // too much to replay: this call will not be retried
        }
      }
      if (stream != null) {
        op.accept(stream);
      }
    }
  }

  @Override
  public void cancel(Status reason) {
    ClientTransportStream<ReqT> stream;
    boolean closeNow = false;
    synchronized (lock) {
      if (cancelled != null) {
        return;
      }
      cancelled = reason;
      stopRecording();
      Attempt attempt = current;
      ScheduledFuture<?> waiting = pendingRetry;
      if (attempt == null && waiting != null && waiting.cancel(false)) {
        pendingRetry = null;
        closeNow = true; // the backoff would keep the caller waiting: end the call now
      }
      // No attempt: a retry is on its way and will close the listener with the reason. An
      // attempt without a stream yet: launch() cancels it once it has one.
      stream = attempt == null ? null : attempt.stream;
    }
    if (stream != null) {
      stream.cancel(reason);
    } else if (closeNow) {
      listener.closed(reason, new Metadata());
    }
  }

  @Override
  public boolean isReady() {
    Attempt attempt = current;
    ClientTransportStream<ReqT> stream = attempt == null ? null : attempt.stream;
    return stream != null && stream.isReady();
  }

  /**
   * The delay before retrying an attempt that failed with {@code status} under the retry policy, or
   * -1 for no retry: no policy, a code it does not retry, its attempts used up, the throttle at
   * half or below, or a pushback that says stop. Holds lock.
   */
  private long configuredRetryDelay(Status status, Metadata trailers) {
    if (retryPolicy == null || !retryPolicy.retries(status.getCode())) {
      return -1;
    }
    boolean throttled = throttle != null && !throttle.attemptFailed();
    if (throttled || policyAttempts >= retryPolicy.maxAttempts()) {
      return -1;
    }
    long pushback = Pushback.nanos(trailers);
    if (pushback != Pushback.ABSENT) {
      return pushback; // STOP is -1: no retry
    }
    return retryPolicy.backoffNanos(policyAttempts, random.getAsDouble());
  }

  /** Waits {@code delayNanos}, then starts the next attempt on the call executor. */
  private void scheduleRetry(Status failure, long delayNanos) {
    Retry task = new Retry(failure, false);
    Runnable onCallExecutor =
        () -> {
          synchronized (lock) {
            pendingRetry = null;
          }
          try {
            callExecutor.execute(task);
          } catch (RejectedExecutionException e) {
            task.run();
          }
        };
    Status closeWith;
    synchronized (lock) {
      closeWith = cancelled;
      if (closeWith == null) {
        pendingRetry = timer.schedule(onCallExecutor, delayNanos, TimeUnit.NANOSECONDS);
      }
    }
    if (closeWith != null) {
      // cancel() came between the failure and now, saw no attempt and no timer: close here.
      listener.closed(closeWith, new Metadata());
    }
  }

  /** Starts the next attempt after a failure; runs on the call executor. */
  private final class Retry implements Runnable {
    private final Status refusal;
    private final boolean transparent;

    Retry(Status refusal, boolean transparent) {
      this.refusal = refusal;
      this.transparent = transparent;
    }

    @Override
    public void run() {
      Attempt next = new Attempt();
      Status closeWith;
      synchronized (lock) {
        closeWith = cancelled;
        if (closeWith == null) {
          current = next;
        }
      }
      if (closeWith != null) {
        listener.closed(closeWith, new Metadata());
        return;
      }
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0}: retrying {1}after {2}",
          method.getFullMethodName(),
          transparent ? "transparently " : "",
          refusal);
      launch(next, transparent);
    }
  }

  /** One attempt's transport events: forwarded, except a refusal that can be retried. */
  private final class Attempt implements ClientTransportStreamListener {
    // Written under lock.
    volatile ClientTransportStream<ReqT> stream;

    /** The stream reported {@code onReady} before it was published here. Guarded by lock. */
    boolean readyHeldBack;

    private void commit() {
      synchronized (lock) {
        if (current == this) {
          stopRecording();
        }
      }
    }

    @Override
    public void headersRead(Metadata headers) {
      commit();
      listener.headersRead(headers);
    }

    @Override
    public void messageRead(InputStream message) {
      commit();
      listener.messageRead(message);
    }

    @Override
    public void onReady() {
      if (stream == null) {
        synchronized (lock) {
          if (stream == null) {
            readyHeldBack = true; // launch() delivers it once the stream is published
            return;
          }
        }
      }
      if (current == this) {
        listener.onReady();
      }
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      closed(status, StreamProgress.PROCESSED, trailers);
    }

    @Override
    public void closed(Status status, StreamProgress progress, Metadata trailers) {
      boolean retry;
      long backoffNanos = -1; // a configured retry after this delay, else -1
      synchronized (lock) {
        boolean open = current == this && recorded != null && cancelled == null;
        retry =
            open
                && progress == StreamProgress.REFUSED
                && !status.isOk()
                && retries < MAX_TRANSPARENT_RETRIES;
        if (retry) {
          retries++;
          current = null;
        } else if (open && !status.isOk()) {
          backoffNanos = configuredRetryDelay(status, trailers);
          if (backoffNanos >= 0) {
            policyAttempts++;
            current = null;
          }
        }
      }
      if (status.isOk() && throttle != null) {
        throttle.callSucceeded();
      }
      if (!retry && backoffNanos < 0) {
        synchronized (lock) {
          if (current == this) {
            stopRecording(); // the call ends: give its bytes back
          }
        }
      }
      if (backoffNanos >= 0) {
        scheduleRetry(status, backoffNanos);
        return;
      }
      if (!retry) {
        listener.closed(status, trailers);
        return;
      }
      Retry task = new Retry(status, true);
      try {
        callExecutor.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    }
  }
}
