package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.PickInfo;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A call attempt's transport stream while its pick waits for a usable picker (grpc-java's delayed
 * stream). It is created started (its listener is given up front); it records request, writes and
 * half-close, and replays them in order on the real stream once the {@link PickerWrapper} finds a
 * transport (or fails it). Cancelling before then closes the listener directly and withdraws the
 * call from the picker's queue.
 *
 * <p>Readiness: {@link #isReady} is false until the replay is done, so the real stream's {@code
 * onReady} is held back while it is false and delivered once the delayed stream passes through.
 * Every {@code onReady} the listener sees is therefore followed by an {@code isReady} that reports
 * the real stream's state; an application that sends while ready and otherwise waits for {@code
 * onReady} cannot miss its wake-up.
 *
 * <p>Thread-safety: the call's thread records operations while a call executor thread may be
 * replaying; {@link #lock} guards the pending list, the real stream, the cancel status and the
 * held-back {@code onReady}. Once drained, operations pass straight through without locking. The
 * lock is never held while calling out, except {@code ClientTransport.newStream}, which only builds
 * an unstarted stream.
 */
final class DelayedStream<ReqT> implements ClientTransportStream<ReqT> {
  private final PickerWrapper owner;
  private final MethodDescriptor<ReqT, ?> method;
  private final Metadata headers;
  private final CallOptions callOptions;
  private final Marshaller<ReqT> marshaller;
  private final ClientTransportStreamListener listener;
  private final Executor callExecutor;
  private final PickInfo pickInfo;

  private final Object lock = new Object();
  // Guarded by lock.
  private ClientTransportStream<ReqT> real;
  private List<Consumer<ClientTransportStream<ReqT>>> pending = new ArrayList<>();
  private Status cancelled;

  /** The real stream reported {@code onReady} before pass-through. */
  private boolean readyHeldBack;

  // Written under lock, after real; read without it on the fast path.
  private volatile boolean passThrough;

  DelayedStream(
      PickerWrapper owner,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller,
      ClientTransportStreamListener listener,
      Executor callExecutor) {
    this.owner = owner;
    this.method = method;
    this.headers = headers;
    this.callOptions = callOptions;
    this.marshaller = marshaller;
    this.listener = new ReadyHoldingListener(Objects.requireNonNull(listener, "listener"));
    this.callExecutor = Objects.requireNonNull(callExecutor, "callExecutor");
    this.pickInfo = new PickInfo(method, headers, callOptions);
  }

  PickInfo pickInfo() {
    return pickInfo;
  }

  boolean isWaitForReady() {
    return callOptions.isWaitForReady();
  }

  /** True once cancelled before a real stream existed. */
  boolean isCancelled() {
    synchronized (lock) {
      return real == null && cancelled != null;
    }
  }

  /** Where the real stream is created and buffered operations replayed. */
  Executor callExecutor() {
    return callExecutor;
  }

  /**
   * Creates and starts the real stream behind {@code gate} (entered by the picker, left here), then
   * replays; only leaves the gate when already realized or cancelled.
   */
  void realize(StreamGate gate) {
    ClientTransportStream<ReqT> stream;
    try {
      synchronized (lock) {
        if (real != null || cancelled != null) {
          return;
        }
        stream = PickerWrapper.createOn(gate, method, headers, callOptions, marshaller);
        real = stream;
      }
      stream.start(listener);
    } finally {
      gate.exit();
    }
    drain();
  }

  /** Ends the attempt with {@code status}, through the listener as a real stream would. */
  void fail(Status status) {
    ClientTransportStream<ReqT> stream;
    synchronized (lock) {
      if (real != null || cancelled != null) {
        return;
      }
      stream = new FailingStream<>(status);
      real = stream;
    }
    stream.start(listener);
    drain();
  }

  private void drain() {
    while (true) {
      List<Consumer<ClientTransportStream<ReqT>>> batch;
      boolean deliverReady;
      synchronized (lock) {
        if (pending.isEmpty()) {
          pending = null;
          passThrough = true;
          deliverReady = readyHeldBack;
          readyHeldBack = false;
          batch = null;
        } else {
          batch = pending;
          pending = new ArrayList<>();
          deliverReady = false;
        }
      }
      if (batch == null) {
        if (deliverReady) {
          listener.onReady();
        }
        return;
      }
      for (Consumer<ClientTransportStream<ReqT>> op : batch) {
        op.accept(real);
      }
    }
  }

  private void delayOrRun(Consumer<ClientTransportStream<ReqT>> op) {
    if (!passThrough) {
      synchronized (lock) {
        if (!passThrough) {
          if (pending != null && cancelled == null) {
            pending.add(op);
          }
          return;
        }
      }
    }
    op.accept(real);
  }

  /** Not used: a delayed stream is started when created. */
  @Override
  public void start(ClientTransportStreamListener listener) {
    throw new IllegalStateException("a DelayedStream is started when created");
  }

  @Override
  public void cancel(Status reason) {
    boolean beforeRealStream;
    synchronized (lock) {
      beforeRealStream = real == null;
      if (beforeRealStream) {
        if (cancelled != null) {
          return;
        }
        cancelled = reason;
        pending = null; // nothing will be replayed
      }
    }
    if (beforeRealStream) {
      owner.withdraw(this);
      listener.closed(reason, new Metadata());
      return;
    }
    delayOrRun(s -> s.cancel(reason)); // after the start, if still replaying
  }

  @Override
  public void request(int numMessages) {
    delayOrRun(s -> s.request(numMessages));
  }

  @Override
  public void writeMessage(ReqT message) {
    delayOrRun(s -> s.writeMessage(message));
  }

  @Override
  public void flush() {
    delayOrRun(ClientTransportStream::flush);
  }

  @Override
  public void halfClose() {
    delayOrRun(ClientTransportStream::halfClose);
  }

  @Override
  public boolean isReady() {
    return passThrough && real.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delayOrRun(s -> s.setMessageCompression(enabled));
  }

  /** Forwards the real stream's events, holding {@code onReady} back until pass-through. */
  private final class ReadyHoldingListener implements ClientTransportStreamListener {
    private final ClientTransportStreamListener delegate;

    ReadyHoldingListener(ClientTransportStreamListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void headersRead(Metadata headers) {
      delegate.headersRead(headers);
    }

    @Override
    public void messageRead(InputStream message) {
      delegate.messageRead(message);
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      delegate.closed(status, trailers);
    }

    @Override
    public void closed(Status status, StreamProgress progress, Metadata trailers) {
      delegate.closed(status, progress, trailers);
    }

    @Override
    public void onReady() {
      if (!passThrough) {
        synchronized (lock) {
          if (!passThrough) {
            readyHeldBack = true; // drain() delivers it once isReady() can say true
            return;
          }
        }
      }
      delegate.onReady();
    }
  }
}
