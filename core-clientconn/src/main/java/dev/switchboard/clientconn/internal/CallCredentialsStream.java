package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A call of a channel with {@link CallCredentials} (grpc-java's {@code
 * CallCredentialsApplyingTransport} at the call level): {@link #start} asks the credentials for
 * metadata and starts the real call once they answer, with the metadata merged into its headers.
 * Until then {@code request}, {@code sendMessage}, {@code halfClose} and {@code
 * setMessageCompression} are buffered in order and replayed after the start; {@code cancel} acts at
 * once. A failure of the credentials, or the call's deadline expiring while they are awaited, ends
 * the call before it reaches a transport.
 *
 * <p>Thread-safe: the credentials may answer on any thread; the buffer is guarded by {@code lock}
 * and, once drained, a volatile flag lets every operation through without it.
 */
final class CallCredentialsStream<ReqT, RespT> extends ClientStream<ReqT, RespT> {
  private final ClientStreamImpl<ReqT, RespT> call;
  private final CallCredentials credentials;
  private final CallCredentials.RequestInfo info;
  private final Deadline deadline;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final Object lock = new Object();

  // Guarded by lock; null once drained.
  private List<Runnable> pending = new ArrayList<>();
  private volatile boolean passThrough;
  // Caller-thread checks, so misuse throws to the caller rather than on the credentials' thread.
  private boolean started;
  private boolean halfClosed;
  private volatile ScheduledFuture<?> deadlineTimer;

  CallCredentialsStream(
      ClientStreamImpl<ReqT, RespT> call,
      CallCredentials credentials,
      CallCredentials.RequestInfo info,
      Deadline deadline,
      ScheduledExecutorService timer) {
    this.call = call;
    this.credentials = credentials;
    this.info = info;
    this.deadline = deadline;
    this.timer = timer;
  }

  @Override
  public void start(ClientStreamListener<RespT> listener, Metadata headers) {
    if (started) {
      throw new IllegalStateException("call already started");
    }
    started = true;
    CompletionStage<Metadata> stage;
    try {
      stage = credentials.requestMetadata(info);
      if (stage == null) {
        throw new NullPointerException(credentials + ".requestMetadata returned null");
      }
    } catch (RuntimeException e) {
      answer(null, e, listener, headers);
      return;
    }
    stage.whenComplete((metadata, error) -> answer(metadata, error, listener, headers));
    if (!answered.get() && deadline != null) {
      long nanos = deadline.timeRemaining(TimeUnit.NANOSECONDS);
      deadlineTimer =
          timer.schedule(
              () ->
                  answer(
                      null,
                      new StatusException(
                          Status.DEADLINE_EXCEEDED.withDescription(
                              "deadline exceeded while waiting for call credentials "
                                  + credentials)),
                      listener,
                      headers),
              Math.max(0, nanos),
              TimeUnit.NANOSECONDS);
      if (answered.get()) {
        deadlineTimer.cancel(false);
      }
    }
  }

  /** Starts the real call, once: with the metadata, or failed. Any thread. */
  private void answer(
      Metadata metadata, Throwable error, ClientStreamListener<RespT> listener, Metadata headers) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> t = deadlineTimer;
    if (t != null) {
      t.cancel(false);
    }
    if (error == null && metadata == null) {
      error = new NullPointerException(credentials + " completed with null metadata");
    }
    if (error != null) {
      call.cancelWith(statusOf(error)); // the call then closes as it starts, reaching no transport
    } else {
      headers.merge(metadata);
    }
    call.start(listener, headers);
    drain();
  }

  private Status statusOf(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof StatusException se) {
      return se.getStatus();
    }
    if (e instanceof StatusRuntimeException sre) {
      return sre.getStatus();
    }
    return Status.UNAVAILABLE
        .withDescription("call credentials " + credentials + " failed: " + e)
        .withCause(e);
  }

  private void drain() {
    while (true) {
      List<Runnable> batch;
      synchronized (lock) {
        if (pending.isEmpty()) {
          pending = null;
          passThrough = true;
          return;
        }
        batch = pending;
        pending = new ArrayList<>();
      }
      for (Runnable op : batch) {
        op.run();
      }
    }
  }

  private void runOrBuffer(Runnable op) {
    if (!passThrough) {
      synchronized (lock) {
        if (pending != null) {
          pending.add(op);
          return;
        }
      }
    }
    op.run();
  }

  private void checkStarted() {
    if (!started) {
      throw new IllegalStateException("call not started");
    }
  }

  @Override
  public void request(int numMessages) {
    checkStarted();
    if (numMessages < 0) {
      throw new IllegalArgumentException("numMessages must not be negative: " + numMessages);
    }
    runOrBuffer(() -> call.request(numMessages));
  }

  @Override
  public void sendMessage(ReqT message) {
    checkStarted();
    if (halfClosed) {
      throw new IllegalStateException("call was half-closed");
    }
    runOrBuffer(() -> call.sendMessage(message));
  }

  @Override
  public void halfClose() {
    checkStarted();
    if (halfClosed) {
      throw new IllegalStateException("call was already half-closed");
    }
    halfClosed = true;
    runOrBuffer(call::halfClose);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    call.cancel(message, cause); // at once: before the start, the call then closes as it starts
  }

  @Override
  public boolean isReady() {
    return passThrough && call.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    runOrBuffer(() -> call.setMessageCompression(enabled));
  }

  @Override
  public Attributes getAttributes() {
    return call.getAttributes();
  }
}
