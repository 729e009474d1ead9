package dev.switchboard.api.stub;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

/**
 * An in-memory client call that records what the helper does and lets the test play the server.
 * Like a channel, it delivers events through the call options' executor (inline when none), closes
 * the listener exactly once, and answers {@link #cancel} by closing with CANCELLED. Hooks run when
 * the helper half-closes or requests, so tests can script the server. Thread-safe.
 */
final class FakeClientStream<ReqT, RespT> extends ClientStream<ReqT, RespT> {
  final CallOptions callOptions;
  final List<ReqT> sent = new CopyOnWriteArrayList<>();
  final List<Thread> callbackThreads = new CopyOnWriteArrayList<>();
  volatile ClientStreamListener<RespT> listener;
  volatile Metadata startHeaders;
  volatile int requested;
  volatile boolean halfClosed;
  volatile String cancelMessage;
  volatile Throwable cancelCause;
  volatile boolean ready = true;
  volatile Boolean messageCompression;
  volatile Runnable onHalfClose = () -> {};
  volatile IntConsumer onRequest = n -> {};
  private boolean closed; // guarded by this

  FakeClientStream(CallOptions callOptions) {
    this.callOptions = callOptions;
  }

  @Override
  public void start(ClientStreamListener<RespT> listener, Metadata headers) {
    if (this.listener != null) {
      throw new IllegalStateException("started twice");
    }
    this.listener = listener;
    this.startHeaders = headers;
  }

  @Override
  public void request(int numMessages) {
    synchronized (this) {
      requested += numMessages;
    }
    onRequest.accept(numMessages);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    synchronized (this) {
      if (cancelMessage != null || cancelCause != null) {
        return;
      }
      cancelMessage = message;
      cancelCause = cause;
    }
    serverCloses(Status.CANCELLED.withDescription(message).withCause(cause), new Metadata());
  }

  @Override
  public void halfClose() {
    halfClosed = true;
    onHalfClose.run();
  }

  @Override
  public void sendMessage(ReqT message) {
    if (halfClosed) {
      throw new IllegalStateException("send after half-close");
    }
    sent.add(message);
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  boolean isCancelled() {
    return cancelMessage != null || cancelCause != null;
  }

  void serverSends(RespT message) {
    deliver(() -> listener.onMessage(message));
  }

  void serverCloses(Status status, Metadata trailers) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    deliver(() -> listener.onClose(status, trailers));
  }

  void becomesReady() {
    deliver(() -> listener.onReady());
  }

  private void deliver(Runnable event) {
    Executor executor = callOptions.getExecutor();
    Runnable recorded =
        () -> {
          callbackThreads.add(Thread.currentThread());
          event.run();
        };
    if (executor == null) {
      recorded.run();
    } else {
      executor.execute(recorded);
    }
  }
}
