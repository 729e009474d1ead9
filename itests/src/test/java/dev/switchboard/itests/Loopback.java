package dev.switchboard.itests;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.server.Servers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Helpers to start servers on 127.0.0.1 and make calls with the raw call API. */
final class Loopback {
  private Loopback() {}

  static Server start(EchoService service) throws IOException {
    return start(service, ServerOptions.newBuilder().insecure());
  }

  static Server start(EchoService service, ServerOptions.Builder options) throws IOException {
    return Servers.newServer(
            options.listen("127.0.0.1", 0).addService(service.definition()).build())
        .start();
  }

  static String target(Server server) {
    return "127.0.0.1:" + server.port();
  }

  static DialOptions.Builder insecure() {
    return DialOptions.newBuilder().insecure();
  }

  /** A port nobody listens on right now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** Starts a call sending {@code requests} then half-closing; returns its listener. */
  @SafeVarargs
  static <Req, Resp> RecordingListener<Resp> call(
      Channel channel,
      MethodDescriptor<Req, Resp> method,
      CallOptions options,
      Metadata headers,
      Req... requests) {
    RecordingListener<Resp> listener = new RecordingListener<>();
    ClientStream<Req, Resp> stream = channel.newStream(method, options);
    stream.start(listener, headers);
    stream.request(Integer.MAX_VALUE);
    for (Req r : List.of(requests)) {
      stream.sendMessage(r);
    }
    stream.halfClose();
    return listener;
  }

  /** A unary call that must succeed; returns the response. */
  static <Req, Resp> Resp unary(
      Channel channel, MethodDescriptor<Req, Resp> method, Req request, CallOptions options)
      throws Exception {
    RecordingListener<Resp> l = call(channel, method, options, new Metadata(), request);
    Status s = l.awaitClose();
    if (!s.isOk()) {
      throw new StatusRuntimeException(s, l.trailers);
    }
    if (l.messages.size() != 1) {
      throw new AssertionError("expected one response, got " + l.messages);
    }
    return l.messages.get(0);
  }
}
