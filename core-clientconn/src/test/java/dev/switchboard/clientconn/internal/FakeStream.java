package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A transport stream recording what the call did and letting the test answer. */
final class FakeStream<ReqT> implements ClientTransportStream<ReqT> {
  final FakeTransport transport;
  final MethodDescriptor<ReqT, ?> method;
  final Metadata headers;
  final CallOptions callOptions;
  final Marshaller<ReqT> marshaller;
  final List<String> events = new ArrayList<>();
  final List<ReqT> messages = new ArrayList<>();
  ClientTransportStreamListener listener;
  int requested;
  Status cancelReason;
  private boolean closed;

  FakeStream(
      FakeTransport transport,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller) {
    this.transport = transport;
    this.method = method;
    this.headers = headers;
    this.callOptions = callOptions;
    this.marshaller = marshaller;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void start(ClientTransportStreamListener listener) {
    if (this.listener != null) {
      throw new AssertionError("started twice");
    }
    this.listener = listener;
    events.add("start");
    if (transport.shutdownReported && transport.refuseAfterShutdown) {
      // What a real transport does with a stream started after GOAWAY or shutdown.
      closed = true;
      listener.closed(
          Status.UNAVAILABLE.withDescription("transport is shutting down"),
          transport.reportRefused ? StreamProgress.REFUSED : StreamProgress.PROCESSED,
          new Metadata());
      transport.maybeTerminate();
    } else if (transport.readyOnStart) {
      listener.onReady();
    }
  }

  @Override
  public void request(int numMessages) {
    requested += numMessages;
    events.add("request " + numMessages);
  }

  @Override
  public void writeMessage(ReqT message) {
    if (listener == null) {
      throw new AssertionError("write before start");
    }
    messages.add(message);
    events.add("write " + message);
  }

  @Override
  public void flush() {
    events.add("flush");
  }

  @Override
  public void halfClose() {
    events.add("halfClose");
  }

  @Override
  public void cancel(Status reason) {
    if (listener == null) {
      throw new AssertionError("cancel before start");
    }
    events.add("cancel " + reason.getCode());
    cancelReason = reason;
    close(reason, new Metadata());
  }

  @Override
  public boolean isReady() {
    return !closed;
  }

  @Override
  public void setMessageCompression(boolean enabled) {}

  void deliverHeaders(Metadata headers) {
    listener.headersRead(headers);
  }

  /** Delivers an encoded message; returns the stream so the test can check it was closed. */
  TrackedInputStream deliverMessage(String utf8) {
    TrackedInputStream in = new TrackedInputStream(utf8.getBytes(StandardCharsets.UTF_8));
    listener.messageRead(in);
    return in;
  }

  void close(Status status, Metadata trailers) {
    if (!closed) {
      closed = true;
      listener.closed(status, trailers);
      transport.maybeTerminate();
    }
  }

  /** Encodes {@code message} with the call's marshaller, as a transport would. */
  String encoded(ReqT message) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      marshaller.encode(message, out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An input stream that remembers whether it was closed. */
  static final class TrackedInputStream extends ByteArrayInputStream {
    boolean closed;

    TrackedInputStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
