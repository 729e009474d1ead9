package dev.switchboard.server.internal;

import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.testing.FakeClock;
import dev.switchboard.testing.StringMarshaller;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A server over a {@link FakeServerTransport}, with fake time: handler callbacks run only on {@code
 * clock.runPendingTasks()}, deadlines fire only on {@code clock.forwardTime(...)}. Service {@code
 * test.Echo} has one method per kind, each with its own {@link RecordingHandler}; codecs {@code
 * proto} and {@code json} marshal strings with their name as prefix.
 */
final class ServerFixture {
  static final MethodDescriptor<String, String> UNARY =
      MethodDescriptor.of("test.Echo/Unary", MethodType.UNARY, String.class, String.class);
  static final MethodDescriptor<String, String> WATCH =
      MethodDescriptor.of(
          "test.Echo/Watch", MethodType.SERVER_STREAMING, String.class, String.class);
  static final MethodDescriptor<String, String> CHAT =
      MethodDescriptor.of("test.Echo/Chat", MethodType.BIDI_STREAMING, String.class, String.class);
  static final MethodDescriptor<String, String> EXPLICIT =
      MethodDescriptor.<String, String>newBuilder()
          .setFullMethodName("test.Echo/Explicit")
          .setType(MethodType.UNARY)
          .setRequestMarshaller(new StringMarshaller("explicit:"))
          .setResponseMarshaller(new StringMarshaller("explicit:"))
          .build();
  static final MethodDescriptor<Integer, Integer> NUMBERS =
      MethodDescriptor.of("test.Echo/Numbers", MethodType.UNARY, Integer.class, Integer.class);

  final FakeClock clock = new FakeClock();
  final FakeServerTransport transport = new FakeServerTransport();
  final TransportRegistry transports = new TransportRegistry();
  final CodecRegistry codecs = new CodecRegistry();
  final RecordingHandler unary = new RecordingHandler();
  final RecordingHandler watch = new RecordingHandler();
  final RecordingHandler chat = new RecordingHandler();
  final RecordingHandler explicit = new RecordingHandler();
  ServerImpl server;
  FakeConnection connection;

  ServerFixture() {
    transports.register(transport);
    codecs.register(new PrefixCodec("proto"));
    codecs.register(new PrefixCodec("json"));
  }

  ServiceDefinition echoService() {
    return ServiceDefinition.newBuilder("test.Echo")
        .addMethod(UNARY, unary)
        .addMethod(WATCH, watch)
        .addMethod(CHAT, chat)
        .addMethod(EXPLICIT, explicit)
        .addMethod(
            NUMBERS,
            (call, headers) -> {
              throw new AssertionError("never reached: no codec marshals Integer");
            })
        .build();
  }

  /** Options with the echo service, the fake transport and registries, and the fake executor. */
  ServerOptions.Builder options() {
    return baseOptions().addService(echoService());
  }

  /** Like {@link #options()}, without services. */
  ServerOptions.Builder baseOptions() {
    return ServerOptions.newBuilder()
        .insecure()
        .port(0)
        .transport(FakeServerTransport.NAME)
        .transportRegistry(transports)
        .codecRegistry(codecs)
        .executor(clock.executor());
  }

  /** Builds and starts a server from {@code options}, and connects one client. */
  ServerFixture start(ServerOptions.Builder options) {
    server = new ServerImpl(options.build(), clock.scheduledExecutor());
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    connection = transport.accept();
    return this;
  }

  ServerFixture start() {
    return start(options());
  }

  /** Starts a call of {@code method} on the connection and runs the handler's start. */
  FakeServerStream startCall(MethodDescriptor<?, ?> method) {
    FakeServerStream stream = connection.newStream(method.getFullMethodName());
    clock.runPendingTasks();
    return stream;
  }
}
