package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.PickInfo;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Chooses a transport for each call attempt with the balancer's current picker (grpc-go's picker
 * wrapper, grpc-java's delayed transport). The channel owns it; the {@link BalancerWrapper}
 * publishes pickers to it, the {@link SubConnPool} the last connection error, and each call's
 * {@link RetriableStream} asks it for attempts ({@link #newAttempt}).
 *
 * <p>Picks run on the calling thread against a volatile snapshot, without locks. Outcomes: a READY
 * SubConn's transport gets the stream, created and started behind the transport's {@link
 * StreamGate} (so the channel cannot shut that transport down in between); an error fails the call
 * (wait-for-ready calls keep waiting instead); a drop always fails it; no result, no picker yet, or
 * a SubConn that is not READY any more (shut down since the picker was built, its transport gone)
 * pick again with a newer picker, else queue the call as a {@link DelayedStream} until the next
 * one. UNAVAILABLE failures carry the last connection error. Queued calls leave the queue when
 * cancelled (deadline included).
 *
 * <p>Queueing is lock-free too: a call adds itself, then re-checks the snapshot; the serializer
 * publishes a snapshot, then claims queued calls by removing them. Whoever removes a call from the
 * set owns it, so each call is re-picked by exactly one thread.
 *
 * <p>Going IDLE ({@link #resetPicker()}) races with calls picking: a call may queue with the old
 * picker, whose SubConns are shut down, or with the empty one. So a call that queues asks the
 * channel to leave IDLE again after queueing, and the channel, having marked itself idle and
 * published the empty picker, looks at the queue ({@link #queuedCount()}): whichever comes second
 * sees the other, and the queued call wakes the channel.
 */
final class PickerWrapper implements RetriableStream.Attempts {
  /** The picker calls use, with its policy's name for error messages; or a terminal status. */
  private record Snapshot(Picker picker, String policyName, Status shutdownStatus) {}

  /** A pick's outcome: an entered gate, a failure, or (both null) wait for the next picker. */
  private record Outcome(StreamGate gate, Status failure) {}

  private static final Outcome QUEUE = new Outcome(null, null);

  private final ChannelContext ctx;
  private volatile Snapshot current = new Snapshot(null, null, null);
  private volatile Status lastConnectionError;
  private final Set<DelayedStream<?>> queued = ConcurrentHashMap.newKeySet();

  PickerWrapper(ChannelContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Picks for a call attempt, on the calling thread, and returns its stream already started with
   * {@code listener} (possibly a {@link DelayedStream} waiting for a picker, or a stream that has
   * already failed). An attempt on an IDLE channel first asks it to leave IDLE, which may run the
   * channel's serializer on this thread. Never returns null; never throws.
   */
  @Override
  public <ReqT> ClientTransportStream<ReqT> newAttempt(
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller,
      ClientTransportStreamListener listener,
      Executor callExecutor) {
    ctx.exitIdleIfNeeded();
    PickInfo info = new PickInfo(method, headers, callOptions);
    DelayedStream<ReqT> delayed = null;
    while (true) {
      Snapshot snapshot = current;
      Outcome outcome = pick(snapshot, info, callOptions.isWaitForReady());
      if (outcome.gate() != null) {
        ClientTransportStream<ReqT> stream;
        try {
          stream = createOn(outcome.gate(), method, headers, callOptions, marshaller);
          stream.start(listener);
        } finally {
          outcome.gate().exit();
        }
        return stream;
      }
      if (outcome.failure() != null) {
        return FailingStream.started(outcome.failure(), StreamProgress.PROCESSED, listener);
      }
      if (delayed == null) {
        delayed =
            new DelayedStream<>(
                this, method, headers, callOptions, marshaller, listener, callExecutor);
      }
      queued.add(delayed);
      if (current == snapshot || !queued.remove(delayed)) {
        // The next (or the concurrent) picker update will process it; if the channel went IDLE
        // since the check above, that update only comes once this wakes it.
        ctx.exitIdleIfNeeded();
        return delayed;
      }
      // A picker arrived while queueing and did not take this call: pick again with it.
    }
  }

  /**
   * An unstarted stream on the gate's transport: the transport's own, or, for a call carrying
   * {@linkplain CallOptions#getCallCredentials() call credentials}, a {@link CredentialsStream}
   * that creates it once they have answered. A transport that throws gets a stream failing
   * UNAVAILABLE as {@link StreamProgress#REFUSED}, since nothing was sent.
   */
  <ReqT> ClientTransportStream<ReqT> createOn(
      StreamGate gate,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller) {
    CallCredentials credentials = callOptions.getCallCredentials();
    if (credentials != null) {
      String authority = callOptions.getAuthority();
      return new CredentialsStream<>(
          gate.transport(),
          credentials,
          authority != null ? authority : ctx.authority(),
          method,
          headers,
          callOptions,
          marshaller);
    }
    return newStream(gate.transport(), method, headers, callOptions, marshaller);
  }

  /** {@code transport}'s new stream, or one failing as {@link StreamProgress#REFUSED}. */
  static <ReqT> ClientTransportStream<ReqT> newStream(
      ClientTransport transport,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller) {
    try {
      ClientTransportStream<ReqT> stream =
          transport.newStream(method, headers, callOptions, marshaller);
      if (stream != null) {
        return stream;
      }
      return new FailingStream<>(
          Status.UNAVAILABLE.withDescription("transport " + transport + " created no stream"),
          StreamProgress.REFUSED);
    } catch (RuntimeException e) {
      return new FailingStream<>(
          Status.UNAVAILABLE
              .withDescription("transport failed to create a stream: " + e)
              .withCause(e),
          StreamProgress.REFUSED);
    }
  }

  /** Publishes a balancer's picker and re-picks queued calls. Serializer only. */
  void updatePicker(Picker picker, String policyName) {
    if (current.shutdownStatus() != null) {
      return;
    }
    current = new Snapshot(picker, policyName, null);
    reprocess();
  }

  /**
   * The channel went IDLE: forget the balancer's picker and the last connection error; calls queue
   * until the next balancer publishes. Serializer only.
   */
  void resetPicker() {
    if (current.shutdownStatus() == null) {
      current = new Snapshot(null, null, null);
      lastConnectionError = null;
    }
  }

  /** Fails queued and future picks with {@code status}. Serializer only. */
  void shutdown(Status status) {
    current = new Snapshot(null, null, status);
    reprocess();
  }

  /** Records the latest connection error (or clears it with {@code null}). Serializer only. */
  void setLastConnectionError(Status error) {
    lastConnectionError = error;
  }

  Status lastConnectionError() {
    return lastConnectionError;
  }

  /** Number of queued calls, for tests. */
  int queuedCount() {
    return queued.size();
  }

  /** Removes a cancelled call from the queue; true when this thread claimed it. */
  boolean withdraw(DelayedStream<?> stream) {
    return queued.remove(stream);
  }

  private void reprocess() {
    Snapshot snapshot = current;
    for (DelayedStream<?> stream : List.copyOf(queued)) {
      if (!queued.remove(stream)) {
        continue; // cancelled, or re-picked by its caller
      }
      Outcome outcome = pick(snapshot, stream.pickInfo(), stream.isWaitForReady());
      if (outcome.gate() != null) {
        runOnCallExecutor(stream, () -> stream.realize(outcome.gate()));
      } else if (outcome.failure() != null) {
        runOnCallExecutor(stream, () -> stream.fail(outcome.failure()));
      } else {
        queued.add(stream);
        if (stream.isCancelled()) {
          queued.remove(stream); // cancelled while this thread owned it
        }
      }
    }
  }

  /** Creating the real stream and replaying buffered writes is call work, not serializer work. */
  private static void runOnCallExecutor(DelayedStream<?> stream, Runnable task) {
    try {
      stream.callExecutor().execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  private Outcome pick(Snapshot snapshot, PickInfo info, boolean waitForReady) {
    if (snapshot.shutdownStatus() != null) {
      return new Outcome(null, snapshot.shutdownStatus());
    }
    if (snapshot.picker() == null) {
      return QUEUE;
    }
    PickResult result;
    try {
      result = snapshot.picker().pick(info);
    } catch (RuntimeException e) {
      return new Outcome(
          null,
          Status.UNAVAILABLE
              .withDescription(
                  "picker of balancing policy '" + snapshot.policyName() + "' failed: " + e)
              .withCause(e));
    }
    if (result == null) {
      return new Outcome(
          null,
          Status.UNAVAILABLE.withDescription(
              "picker of balancing policy '" + snapshot.policyName() + "' returned no result"));
    }
    switch (result.kind()) {
      case SUBCONN:
        if (!(result.subConn() instanceof SubConnImpl subConn)) {
          return new Outcome(
              null,
              Status.INTERNAL.withDescription(
                  "balancing policy '"
                      + snapshot.policyName()
                      + "' picked a SubConn this channel did not create"));
        }
        StreamGate gate = subConn.readyGate();
        return gate != null && gate.tryEnter() ? new Outcome(gate, null) : QUEUE;
      case NO_RESULT:
        return QUEUE;
      case ERROR:
        return waitForReady ? QUEUE : new Outcome(null, withConnectionError(result.status()));
      case DROP:
      default:
        return new Outcome(null, result.status());
    }
  }

  private Status withConnectionError(Status status) {
    Status last = lastConnectionError;
    if (status.getCode() != Status.Code.UNAVAILABLE || last == null) {
      return status;
    }
    String lastText = last.getDescription() != null ? last.getDescription() : last.getCode().name();
    if (status.getDescription() != null && status.getDescription().contains(lastText)) {
      return status;
    }
    Status out = status.augmentDescription("last connection error: " + lastText);
    return out.getCause() == null && last.getCause() != null ? out.withCause(last.getCause()) : out;
  }
}
