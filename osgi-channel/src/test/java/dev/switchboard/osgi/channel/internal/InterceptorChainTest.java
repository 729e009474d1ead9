package dev.switchboard.osgi.channel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.testing.StringMarshaller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The channel's interceptors: whatever list the source holds when a call is created. */
class InterceptorChainTest {
  private static final MethodDescriptor<String, String> METHOD =
      MethodDescriptor.<String, String>newBuilder()
          .setFullMethodName("test.Echo/Unary")
          .setType(MethodType.UNARY)
          .setRequestMarshaller(StringMarshaller.INSTANCE)
          .setResponseMarshaller(StringMarshaller.INSTANCE)
          .build();

  private final List<String> seen = new ArrayList<>();
  private final AtomicReference<List<ClientInterceptor>> source = new AtomicReference<>(List.of());
  private final InterceptorChain chain = new InterceptorChain(source::get);

  /** The channel behind: records the call and creates no stream. */
  private final Channel channel =
      new Channel() {
        @Override
        public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
            MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
          seen.add("channel");
          return null;
        }

        @Override
        public String authority() {
          return "a";
        }
      };

  private ClientInterceptor named(String name) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        seen.add(name);
        return next.newStream(method, callOptions);
      }
    };
  }

  private List<String> call() {
    seen.clear();
    chain.interceptCall(METHOD, CallOptions.DEFAULT, channel);
    return List.copyOf(seen);
  }

  @Test
  void callsGoThroughTheCurrentListInOrder() {
    assertEquals(List.of("channel"), call());
    source.set(List.of(named("auth"), named("metrics")));
    assertEquals(List.of("auth", "metrics", "channel"), call());
    assertEquals(List.of("auth", "metrics", "channel"), call());
    source.set(List.of(named("metrics")));
    assertEquals(List.of("metrics", "channel"), call());
    source.set(List.of());
    assertEquals(List.of("channel"), call());
  }

  @Test
  void theOptionsReachTheChannel() {
    CallOptions options = CallOptions.DEFAULT.withAuthority("x");
    AtomicReference<CallOptions> got = new AtomicReference<>();
    Channel recording =
        new Channel() {
          @Override
          public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
              MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
            got.set(callOptions);
            return null;
          }

          @Override
          public String authority() {
            return "a";
          }
        };
    source.set(List.of(named("auth")));
    chain.interceptCall(METHOD, options, recording);
    assertSame(options, got.get());
  }
}
