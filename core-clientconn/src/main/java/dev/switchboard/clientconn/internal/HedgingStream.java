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
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A call's transport stream under a {@link HedgingPolicy} (gRFC A6 hedging): the first copy of the
 * call (a <em>hedge</em>) starts at once, the next one {@code hedgingDelay} later and so on up to
 * {@code maxAttempts}, each picked on its own and replaying what the application did so far; every
 * operation goes to every live hedge. The first hedge to receive response headers or a message, to
 * succeed, or to fail with a fatal code (one not in {@code nonFatalStatusCodes}) is committed: the
 * others are cancelled and the application sees that hedge only.
 *
 * <p>A hedge failing with a non-fatal code sends the next one at once, or after the server's
 * pushback ({@code grpc-retry-pushback-ms}; a negative one stops hedging), and takes a token from
 * the channel's retry throttle, which stops hedging while it is at half or below. When no hedge is
 * left and none may be sent, the call ends with the last failure. A hedge refused before any server
 * saw it is replaced transparently, as {@link RetriableStream} does, without counting. Operations
 * are recorded for replay in a {@link ReplayBuffer}; past its limits no new hedge starts (the live
 * ones carry on and the first answer still wins).
 *
 * <p>Thread-safety: as {@link RetriableStream}: {@link #lock} guards the hedges, the recording and
 * the commit; it is held while an operation is passed to the live hedges' streams, never while
 * picking. Hedges after the first start on the call executor.
 */
final class HedgingStream<ReqT> extends ReplayingStream<ReqT> {
  private static final Status LOST =
      Status.CANCELLED.withDescription("another hedged attempt of the call answered first");

  private final RetriableStream.Attempts attempts;
  private final MethodDescriptor<ReqT, ?> method;
  private final Metadata headers;
  private final CallOptions callOptions;
  private final Marshaller<ReqT> marshaller;
  private final Executor callExecutor;
  private final HedgingPolicy policy;
  private final RetryThrottle throttle; // null: not throttled
  private final ScheduledExecutorService timer;
  private ClientTransportStreamListener listener;

  private final Object lock = new Object();

  // Guarded by lock.
  private final List<Hedge> live = new ArrayList<>();

  /** Operations so far, for new hedges; null once no new hedge may start. */
  private ReplayBuffer<ReqT> recorded;

  /** The hedge the application sees; volatile for isReady. */
  private volatile Hedge committed;

  private Status cancelled;
  private int hedgesSent; // counted against maxAttempts
  private int streamsStarted; // transparent replacements included: grpc-previous-rpc-attempts
  private int transparentRetries;
  private boolean noMoreHedges;
  private ScheduledFuture<?> nextHedge;
  private long timerGeneration; // a timer that fires for an older generation does nothing
  private Status lastFailure;
  private Metadata lastTrailers;

  HedgingStream(
      RetriableStream.Attempts attempts,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller,
      Executor callExecutor,
      ReplayBuffer<ReqT> buffer,
      HedgingPolicy policy,
      RetryThrottle throttle,
      ScheduledExecutorService timer) {
    this.attempts = attempts;
    this.method = method;
    this.headers = headers;
    this.callOptions = callOptions;
    this.marshaller = marshaller;
    this.callExecutor = Objects.requireNonNull(callExecutor, "callExecutor");
    this.recorded = Objects.requireNonNull(buffer, "buffer");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.throttle = throttle;
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  /** Hedges sent so far (transparent replacements not counted); for tests. */
  int hedgesSent() {
    synchronized (lock) {
      return hedgesSent;
    }
  }

  @Override
  public void start(ClientTransportStreamListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    Hedge first = new Hedge();
    synchronized (lock) {
      hedgesSent = 1;
      live.add(first);
      scheduleNextHedge(policy.hedgingDelayNanos());
    }
    launch(first, false);
  }

  /** Arms the timer for the next hedge, if one may still be sent. Holds lock. */
  private void scheduleNextHedge(long delayNanos) {
    cancelTimer();
    if (mayHedge()) {
      long generation = timerGeneration;
      nextHedge = timer.schedule(() -> hedgeNow(generation), delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Cancels the next hedge's timer; one already firing finds its generation stale. Holds lock. */
  private void cancelTimer() {
    timerGeneration++;
    if (nextHedge != null) {
      nextHedge.cancel(false);
      nextHedge = null;
    }
  }

  /** Holds lock. */
  private boolean mayHedge() {
    return committed == null
        && cancelled == null
        && !noMoreHedges
        && recorded != null
        && hedgesSent < policy.maxAttempts()
        && (throttle == null || throttle.allows());
  }

  /**
   * The hedging delay of timer {@code generation} passed, or (generation -1) a hedge failed: send
   * the next hedge on the call executor.
   */
  private void hedgeNow(long generation) {
    Hedge next = null;
    Status finish = null;
    synchronized (lock) {
      if (generation >= 0 && generation != timerGeneration) {
        return; // cancelled or replaced while firing
      }
      cancelTimer();
      if (mayHedge()) {
        next = new Hedge();
        hedgesSent++;
        live.add(next);
        scheduleNextHedge(policy.hedgingDelayNanos());
      } else {
        finish = finishIfExhausted();
      }
    }
    if (next != null) {
      Hedge h = next;
      execute(() -> launch(h, false));
    } else if (finish != null) {
      listener.closed(finish, lastTrailers);
    }
  }

  /**
   * When nothing is live, nothing is scheduled and nothing more may start, the call ends with the
   * last failure: returns it (and commits to nobody). Holds lock.
   */
  private Status finishIfExhausted() {
    if (committed != null || !live.isEmpty() || nextHedge != null || mayHedge()) {
      return null;
    }
    if (lastFailure == null) {
      return null; // cancelled: cancel() closes the listener
    }
    Status s = lastFailure;
    lastFailure = null;
    noMoreHedges = true;
    stopRecording();
    return s;
  }

  private void execute(Runnable task) {
    try {
      callExecutor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /**
   * Picks and starts {@code hedge}'s stream (outside the lock), then replays onto it; {@code
   * transparent} when it replaces a hedge no server saw.
   */
  private void launch(Hedge hedge, boolean transparent) {
    int previous;
    synchronized (lock) {
      previous = streamsStarted++;
    }
    CallOptions options =
        previous == 0
            ? callOptions
            : callOptions.withOption(ClientTransport.PREVIOUS_RPC_ATTEMPTS, previous);
    ClientTransportStreamListener hedgeListener = traced(hedge, previous, transparent);
    ClientTransportStream<ReqT> stream =
        attempts.newAttempt(
            method,
            attemptHeaders(hedgeListener, headers),
            options,
            marshaller,
            hedgeListener,
            callExecutor);
    Status cancelWith = null;
    synchronized (lock) {
      hedge.stream = stream;
      if (cancelled != null) {
        cancelWith = cancelled;
      } else if (hedge.abandoned || (committed != hedge && recorded == null)) {
        // lost while starting, or missed operations it can no longer be given
        hedge.abandoned = true;
        cancelWith = LOST;
      } else if (recorded != null) {
        recorded.replayOn(stream);
        if (committed == hedge || (recorded.isOverLimit() && everyLiveHedgeHasAStream())) {
          stopRecording();
        }
      }
    }
    if (cancelWith != null) {
      stream.cancel(cancelWith);
    }
  }

  /** Holds lock. */
  private boolean everyLiveHedgeHasAStream() {
    for (Hedge h : live) {
      if (h.stream == null) {
        return false;
      }
    }
    return true;
  }

  /** Drops the recording and gives its bytes back: no new hedge. Holds lock. */
  private void stopRecording() {
    if (recorded != null) {
      recorded.release();
      recorded = null;
    }
  }

  private void record(Consumer<ClientTransportStream<ReqT>> op, ReqT message) {
    if (message == null) {
      recorded.add(op);
    } else {
      recorded.addMessage(op, ReplayBuffer.sizeOf(marshaller, message));
    }
  }

  /** Passes {@code op} (writing {@code message} when not null) to the live hedges; records it. */
  @Override
  void run(Consumer<ClientTransportStream<ReqT>> op, ReqT message) {
    synchronized (lock) {
      if (cancelled != null) {
        return;
      }
      Hedge winner = committed;
      if (winner != null) {
        if (winner.stream != null) {
          op.accept(winner.stream);
        } else if (recorded != null) {
          record(op, message); // launch() replays it once the winner's stream is published
        }
        return;
      }
      if (recorded != null) {
        record(op, message);
        if (recorded.isOverLimit()) {
          noMoreHedges = true; // too much to replay: the live hedges carry on, no new one
          cancelTimer();
          if (everyLiveHedgeHasAStream()) {
            stopRecording(); // else launch() drops it once the last starting hedge has it all
          }
        }
      }
      for (Hedge h : live) {
        if (h.stream != null && !h.abandoned) {
          op.accept(h.stream);
        }
      }
    }
  }

  @Override
  public void cancel(Status reason) {
    List<ClientTransportStream<ReqT>> toCancel = new ArrayList<>();
    boolean closeNow;
    synchronized (lock) {
      if (cancelled != null) {
        return;
      }
      cancelled = reason;
      cancelTimer();
      stopRecording();
      if (committed == null && !live.isEmpty()) {
        commitTo(live.get(0)); // its close reports the cancellation
      }
      closeNow = committed == null;
      lastFailure = null;
      for (Hedge h : live) {
        if (h.stream != null) {
          toCancel.add(h.stream);
        }
      }
    }
    for (ClientTransportStream<ReqT> s : toCancel) {
      s.cancel(reason);
    }
    if (closeNow) {
      listener.closed(reason, new Metadata()); // between hedges: nothing live to report it
    }
  }

  @Override
  public boolean isReady() {
    Hedge winner = committed;
    if (winner != null) {
      ClientTransportStream<ReqT> s = winner.stream;
      return s != null && s.isReady();
    }
    synchronized (lock) {
      for (Hedge h : live) {
        if (h.stream != null && !h.abandoned && h.stream.isReady()) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Makes {@code hedge} the one the application sees and abandons the others; returns the streams
   * to cancel. Holds lock.
   */
  private List<ClientTransportStream<ReqT>> commitTo(Hedge hedge) {
    committed = hedge;
    noMoreHedges = true;
    cancelTimer();
    if (hedge.stream != null) {
      stopRecording();
    }
    List<ClientTransportStream<ReqT>> losers = new ArrayList<>();
    for (Hedge h : live) {
      if (h != hedge) {
        h.abandoned = true;
        if (h.stream != null) {
          losers.add(h.stream);
        }
      }
    }
    return losers;
  }

  /** Commits to {@code hedge} unless another was; true when {@code hedge} is the committed one. */
  private boolean commit(Hedge hedge) {
    List<ClientTransportStream<ReqT>> losers;
    synchronized (lock) {
      if (committed != null) {
        return committed == hedge;
      }
      losers = commitTo(hedge);
    }
    for (ClientTransportStream<ReqT> s : losers) {
      s.cancel(LOST);
    }
    return true;
  }

  /** One hedge's transport events: the committed one's are forwarded. */
  private final class Hedge implements ClientTransportStreamListener {
    // Written under lock.
    volatile ClientTransportStream<ReqT> stream;

    /** Cancelled by us because another hedge won. Guarded by lock. */
    boolean abandoned;

    @Override
    public void headersRead(Metadata headers) {
      if (commit(this)) {
        listener.headersRead(headers);
      }
    }

    @Override
    public void messageRead(InputStream message) {
      if (commit(this)) {
        listener.messageRead(message);
        return;
      }
      try {
        message.close(); // a losing hedge's response: release its buffer
      } catch (IOException e) {
        // nothing to release
      }
    }

    @Override
    public void onReady() {
      Hedge winner = committed;
      if (winner == null || winner == this) {
        listener.onReady();
      }
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      closed(status, StreamProgress.PROCESSED, trailers);
    }

    @Override
    public void closed(Status status, StreamProgress progress, Metadata trailers) {
      List<ClientTransportStream<ReqT>> losers = List.of();
      Hedge replacement = null;
      boolean hedgeAtOnce = false;
      boolean forward = false;
      Status finish = null;
      synchronized (lock) {
        live.remove(this);
        if (committed == this) {
          forward = true;
          stopRecording(); // the call ends
        } else if (committed != null || abandoned) {
          return; // a loser's end is nobody's business
        } else if (progress == StreamProgress.REFUSED
            && !status.isOk()
            && transparentRetries < RetriableStream.MAX_TRANSPARENT_RETRIES
            && recorded != null) {
          transparentRetries++; // no server saw it: replace it, uncounted
          replacement = new Hedge();
          live.add(replacement);
        } else if (!status.isOk() && policy.isNonFatal(status.getCode())) {
          lastFailure = status;
          lastTrailers = trailers;
          if (throttle != null && !throttle.attemptFailed()) {
            noMoreHedges = true;
          }
          long pushback = Pushback.nanos(trailers);
          if (pushback == Pushback.STOP) {
            noMoreHedges = true;
          }
          if (mayHedge()) {
            if (pushback == Pushback.ABSENT) {
              hedgeAtOnce = true;
            } else {
              scheduleNextHedge(pushback);
            }
          } else if (noMoreHedges) {
            cancelTimer();
          }
          finish = hedgeAtOnce ? null : finishIfExhausted();
        } else {
          losers = commitTo(this); // success, or a fatal code: the call ends with it
          forward = true;
          stopRecording();
        }
      }
      for (ClientTransportStream<ReqT> s : losers) {
        s.cancel(LOST);
      }
      if (replacement != null) {
        Hedge r = replacement;
        execute(() -> launch(r, true));
      } else if (hedgeAtOnce) {
        hedgeNow(-1);
      } else if (finish != null) {
        listener.closed(finish, trailers);
      } else if (forward) {
        if (status.isOk() && throttle != null) {
          throttle.callSucceeded();
        }
        listener.closed(status, trailers);
      }
    }
  }
}
