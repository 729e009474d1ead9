package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.Codec;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.testing.FakeClock;
import dev.switchboard.testing.RecordingClientListener;
import dev.switchboard.testing.StringMarshaller;
import dev.switchboard.testing.UncaughtErrors;
import java.util.List;

/**
 * A channel's world made of fakes: fake clock (the timer and the blocking executor), isolated
 * registries holding a test pick_first, a fake resolver for scheme {@code fake} and a fake
 * transport named {@code netty}, a direct call executor, no jitter, and a serializer whose uncaught
 * exceptions fail the test (reported to {@link UncaughtErrors}).
 */
final class ChannelFixture {
  final FakeClock clock = new FakeClock();
  final BalancerRegistry balancers = new BalancerRegistry();
  final ResolverRegistry resolvers = new ResolverRegistry();
  final TransportRegistry transports = new TransportRegistry();
  final CodecRegistry codecs = new CodecRegistry();
  final TestPickFirstBalancer.Provider pickFirst = new TestPickFirstBalancer.Provider("pick_first");
  final FakeResolverProvider resolver = new FakeResolverProvider("fake");
  final FakeTransportProvider transport = new FakeTransportProvider("netty");
  final ChannelEnvironment env =
      new ChannelEnvironment(
          clock.ticker(),
          clock.scheduledExecutor(),
          clock.executor(),
          Runnable::run,
          () -> 0.5,
          (thread, e) -> UncaughtErrors.report(e),
          name -> null); // no proxy variables

  static final MethodDescriptor<String, String> UNARY = method("test.Echo/Unary", MethodType.UNARY);
  static final MethodDescriptor<String, String> BIDI =
      method("test.Echo/Bidi", MethodType.BIDI_STREAMING);

  ChannelFixture() {
    balancers.register(pickFirst);
    resolvers.register(resolver);
    transports.register(transport);
  }

  static MethodDescriptor<String, String> method(String name, MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setFullMethodName(name)
        .setType(type)
        .setRequestMarshaller(StringMarshaller.INSTANCE)
        .setResponseMarshaller(StringMarshaller.INSTANCE)
        .build();
  }

  DialOptions.Builder options() {
    return DialOptions.newBuilder()
        .insecure()
        .balancerRegistry(balancers)
        .resolverRegistry(resolvers)
        .transportRegistry(transports)
        .codecRegistry(codecs);
  }

  ClientConnImpl dial(String target) {
    return ChannelFactory.forTarget(target, options().build(), env);
  }

  ClientConnImpl dial(String target, DialOptions options) {
    return ChannelFactory.forTarget(target, options, env);
  }

  /** A channel on scheme {@code fake}, resolved to one address whose transport is READY. */
  ClientConnImpl readyChannel() {
    return readyChannel(options().build());
  }

  ClientConnImpl readyChannel(DialOptions options) {
    ClientConnImpl conn = dial("fake:///svc", options);
    conn.connect();
    resolver.last().resolve(FakeResolverProvider.address(1));
    transport.last().ready();
    return conn;
  }

  /** Starts a call, requests two responses, sends {@code message} and half-closes. */
  static RecordingClientListener<String> startCall(
      Channel channel,
      MethodDescriptor<String, String> m,
      CallOptions callOptions,
      String message) {
    RecordingClientListener<String> listener = new RecordingClientListener<>();
    ClientStream<String, String> call = channel.newStream(m, callOptions);
    call.start(listener, new Metadata());
    call.request(2);
    call.sendMessage(message);
    call.halfClose();
    return listener;
  }

  static RecordingClientListener<String> startCall(Channel channel, CallOptions callOptions) {
    return startCall(channel, UNARY, callOptions, "hi");
  }

  /** The newest stream on the newest transport. */
  @SuppressWarnings("unchecked")
  FakeStream<String> lastStream() {
    List<FakeStream<?>> streams = transport.last().streams;
    return (FakeStream<String>) streams.get(streams.size() - 1);
  }

  /** Registers a codec named {@code name} for strings. */
  void registerStringCodec(String name) {
    codecs.register(stringCodec(name));
  }

  /** A codec provider named {@code name} for strings. */
  static CodecProvider stringCodec(String name) {
    return new CodecProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Codec codec() {
        return new Codec() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public boolean supports(Class<?> type) {
            return type == String.class;
          }

          @Override
          @SuppressWarnings("unchecked")
          public <T> Marshaller<T> marshaller(Class<T> type) {
            if (type != String.class) {
              throw new IllegalArgumentException(type.getName() + " is not a String");
            }
            return (Marshaller<T>) StringMarshaller.INSTANCE;
          }
        };
      }
    };
  }

  /** The config listing round_robin first, then pick_first. */
  static final String RR_THEN_PF =
      "{\"loadBalancingConfig\": [{\"round_robin\": {}}, {\"pick_first\": {}}]}";

  /** Counts how often a registration's onReleased ran. */
  static final class Released implements Runnable {
    int count;

    @Override
    public void run() {
      count++;
    }
  }
}
