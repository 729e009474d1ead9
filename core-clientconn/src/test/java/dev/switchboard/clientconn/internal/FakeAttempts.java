package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Attempts of a {@link RetriableStream} or {@link HedgingStream} on fake transports: each attempt
 * on a transport of its own (127.0.0.1, port = its number), recorded in {@link #streams} and {@link
 * #transports}; the next {@link #refuseNext} transports are shut down (GOAWAY) before the attempt,
 * so that it is refused; with {@link #readyOnStart} a stream reports ready as it starts.
 */
final class FakeAttempts implements RetriableStream.Attempts {
  final List<FakeStream<String>> streams = new ArrayList<>();
  final List<FakeTransport> transports = new ArrayList<>();
  int refuseNext;
  boolean readyOnStart;

  @Override
  @SuppressWarnings("unchecked")
  public <ReqT> ClientTransportStream<ReqT> newAttempt(
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller,
      ClientTransportStreamListener listener,
      Executor callExecutor) {
    FakeTransport t =
        new FakeTransport(
            new InetSocketAddress("127.0.0.1", transports.size() + 1), null, false, null);
    t.listener = new NoTransportEvents();
    t.readyOnStart = readyOnStart;
    if (refuseNext > 0) {
      refuseNext--;
      t.shutdown(Status.UNAVAILABLE.withDescription("GOAWAY"));
    }
    transports.add(t);
    FakeStream<ReqT> s = t.newStream(method, headers, callOptions, marshaller);
    streams.add((FakeStream<String>) s);
    s.start(listener);
    return s;
  }

  private static final class NoTransportEvents implements ClientTransportListener {
    @Override
    public void transportReady() {}

    @Override
    public void transportShutdown(Status status) {}

    @Override
    public void transportTerminated() {}
  }
}
