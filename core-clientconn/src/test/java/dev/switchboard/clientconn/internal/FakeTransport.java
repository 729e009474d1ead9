package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.ClientTransportOptions;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection the test drives: {@link #ready()}, {@link #goAway}, {@link #fail}. It honours the
 * transport contract: shutdown is reported once, termination once, last, after its streams.
 */
class FakeTransport implements ClientTransport {
  final SocketAddress address;
  final ClientTransportOptions options;
  final List<FakeStream<?>> streams = new ArrayList<>();
  ClientTransportListener listener;
  Status shutdownReason;
  Status shutdownNowReason;
  boolean shutdownReported;
  boolean terminated;

  /** Streams started after shutdown fail UNAVAILABLE, as REFUSED when {@link #reportRefused}. */
  boolean refuseAfterShutdown = true;

  boolean reportRefused = true;

  /**
   * Streams report {@code onReady} as soon as they start, as a Netty stream does once allocated.
   */
  boolean readyOnStart;

  private final boolean autoReady;
  private final Status autoFail;

  FakeTransport(
      SocketAddress address, ClientTransportOptions options, boolean autoReady, Status autoFail) {
    this.address = address;
    this.options = options;
    this.autoReady = autoReady;
    this.autoFail = autoFail;
  }

  @Override
  public void start(ClientTransportListener listener) {
    this.listener = listener;
    if (autoFail != null) {
      fail(autoFail);
    } else if (autoReady) {
      ready();
    }
  }

  /** Run at the start of {@link #newStream}: lets a test act between a pick and a stream. */
  Runnable beforeNewStream;

  @Override
  public <ReqT> FakeStream<ReqT> newStream(
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> requestMarshaller) {
    Runnable hook = beforeNewStream;
    beforeNewStream = null;
    if (hook != null) {
      hook.run();
    }
    FakeStream<ReqT> s = new FakeStream<>(this, method, headers, callOptions, requestMarshaller);
    streams.add(s);
    return s;
  }

  /** The newest stream. */
  @SuppressWarnings("unchecked")
  FakeStream<String> lastStream() {
    return (FakeStream<String>) streams.get(streams.size() - 1);
  }

  /** The handshake completed. */
  void ready() {
    listener.transportReady();
  }

  /** The server sent GOAWAY: no new streams; terminates once streams are done. */
  void goAway(Status status) {
    reportShutdown(status);
    maybeTerminate();
  }

  /** Connect failure or connection loss: shutdown and terminated. */
  void fail(Status status) {
    reportShutdown(status);
    for (FakeStream<?> s : List.copyOf(streams)) {
      s.close(status, new Metadata());
    }
    terminate();
  }

  private void reportShutdown(Status status) {
    if (!shutdownReported) {
      shutdownReported = true;
      listener.transportShutdown(status);
    }
  }

  void maybeTerminate() {
    if (shutdownReported && streams.stream().allMatch(FakeStream::isClosed)) {
      terminate();
    }
  }

  private void terminate() {
    if (!terminated) {
      terminated = true;
      listener.transportTerminated();
    }
  }

  @Override
  public void shutdown(Status reason) {
    shutdownReason = reason;
    if (listener != null) {
      reportShutdown(reason);
      maybeTerminate();
    }
  }

  @Override
  public void shutdownNow(Status reason) {
    shutdownNowReason = reason;
    if (listener != null) {
      fail(reason);
    }
  }

  /** What {@link #attributes()} returns. */
  Attributes attributes = Attributes.EMPTY;

  @Override
  public Attributes attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return "FakeTransport(" + address + ")";
  }
}
