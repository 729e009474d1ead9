package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A transport stream standing in for one that does not exist yet: it records request, writes,
 * flushes and half-close, and replays them in order on the real stream once a subclass {@linkplain
 * #realize provides it}. Subclasses decide what they wait for: a picker ({@link DelayedStream}) or
 * call credentials ({@link CredentialsStream}). Cancelling before then closes the listener
 * directly.
 *
 * <p>Readiness: {@link #isReady} is false until the replay is done, so the real stream's {@code
 * onReady} is held back while it is false and delivered once the stream passes through. Every
 * {@code onReady} the listener sees is therefore followed by an {@code isReady} that reports the
 * real stream's state; an application that sends while ready and otherwise waits for {@code
 * onReady} cannot miss its wake-up.
 *
 * <p>Thread-safety: the call's thread records operations while another thread may be replaying;
 * {@link #lock} guards the pending list, the real stream, the cancel status and the held-back
 * {@code onReady}. Once drained, operations pass straight through without locking. The lock is
 * never held while calling out, except the factory given to {@link #realize}, which only builds an
 * unstarted stream.
 *
 * @param <ReqT> the request message type
 */
abstract class BufferingStream<ReqT> implements ClientTransportStream<ReqT> {
  private final Object lock = new Object();
  private ClientTransportStreamListener listener;

  // Guarded by lock.
  private ClientTransportStream<ReqT> real;
  private List<Consumer<ClientTransportStream<ReqT>>> pending = new ArrayList<>();
  private Status cancelled;

  /** The real stream reported {@code onReady} before pass-through. */
  private boolean readyHeldBack;

  // Written under lock, after real; read without it on the fast path.
  private volatile boolean passThrough;

  /** Sets the listener the real stream will be started with; before any other use. */
  final void listen(ClientTransportStreamListener listener) {
    this.listener = new ReadyHoldingListener(Objects.requireNonNull(listener, "listener"));
  }

  /** True once cancelled before a real stream existed. */
  final boolean isCancelled() {
    synchronized (lock) {
      return real == null && cancelled != null;
    }
  }

  /**
   * Builds the real stream with {@code factory} (under the lock) unless there is one already or
   * this was cancelled, starts it and replays what was recorded; returns whether it did.
   */
  final boolean realize(Supplier<ClientTransportStream<ReqT>> factory) {
    if (!install(factory)) {
      return false;
    }
    drain();
    return true;
  }

  /**
   * The first half of {@link #realize}: builds and starts the real stream, unless there is one or
   * this was cancelled; {@link #drain()} must follow a true return.
   */
  final boolean install(Supplier<ClientTransportStream<ReqT>> factory) {
    ClientTransportStream<ReqT> stream;
    synchronized (lock) {
      if (real != null || cancelled != null) {
        return false;
      }
      stream = factory.get();
      real = stream;
    }
    stream.start(listener);
    return true;
  }

  /** Ends the stream with {@code status} ({@link StreamProgress#PROCESSED}), unless realized. */
  final void fail(Status status) {
    realize(() -> new FailingStream<>(status));
  }

  /**
   * Called once when cancelled before a real stream existed; returns the status the listener is
   * closed with ({@code reason}, or it with what the stream was waiting for).
   */
  Status cancelledBeforeRealStream(Status reason) {
    return reason;
  }

  /** Replays what was recorded on the installed real stream, then lets operations through. */
  final void drain() {
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
      listener.closed(cancelledBeforeRealStream(reason), new Metadata());
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
    public void trailersRead(Metadata trailers) {
      delegate.trailersRead(trailers);
    }

    @Override
    public void inboundMessageSize(long wireSize, long uncompressedSize) {
      delegate.inboundMessageSize(wireSize, uncompressedSize);
    }

    @Override
    public void outboundMessageSize(long wireSize, long uncompressedSize) {
      delegate.outboundMessageSize(wireSize, uncompressedSize);
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
