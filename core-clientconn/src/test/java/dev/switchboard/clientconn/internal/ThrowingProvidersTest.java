package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.ChannelFixture.RR_THEN_PF;
import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.Target;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.testing.RecordingClientListener;
import dev.switchboard.testing.UncaughtErrors;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Providers that throw are isolated: the channel falls back, keeps what it has, and reports. */
class ThrowingProvidersTest {
  private final ChannelFixture f = new ChannelFixture();

  private ClientConnImpl dialRoundRobinThenPickFirst() {
    ClientConnImpl conn =
        f.dial("fake:///svc", f.options().defaultServiceConfig(RR_THEN_PF).build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    return conn;
  }

  /** A round_robin whose newBalancer or updateClientConnState throws. */
  private static final class BrokenRoundRobin extends TestRoundRobinBalancer.Provider {
    final boolean inNewBalancer;
    int attempts;

    BrokenRoundRobin(boolean inNewBalancer) {
      super("0.9");
      this.inNewBalancer = inNewBalancer;
    }

    @Override
    public Balancer newBalancer(BalancerConn conn) {
      attempts++;
      if (inNewBalancer) {
        throw new IllegalStateException("broken build");
      }
      return new Balancer() {
        @Override
        public Status updateClientConnState(ClientConnState state) {
          throw new IllegalStateException("broken update");
        }

        @Override
        public void resolverError(Status error) {}

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void newBalancerThrowingFallsBackToTheNextListedPolicy() {
    BrokenRoundRobin broken = new BrokenRoundRobin(true);
    f.balancers.register(broken, 0, "bundle broken.rr 0.9.0", null);
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    assertEquals(1, broken.attempts);
    assertEquals(1, f.pickFirst.built.size(), "fell back at once");
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    ChannelWiring.Component balancer = conn.describeWiring().balancer();
    assertEquals("pick_first", balancer.name());
    assertTrue(
        balancer
            .reason()
            .contains("round_robin from bundle broken.rr 0.9.0 failed on this " + "channel"),
        balancer.reason());
    assertFalse(ChannelFixture.startCall(conn, CallOptions.DEFAULT).isClosed());

    // A new resolution does not retry the broken provider while another policy works...
    f.resolver.last().resolve(address(1));
    assertEquals(1, broken.attempts);
    // ... a fixed version does get used.
    f.balancers.deregister(broken);
    TestRoundRobinBalancer.Provider fixed = new TestRoundRobinBalancer.Provider("1.0");
    f.balancers.register(fixed);
    f.transport.last().ready();
    assertEquals("round_robin", conn.describeWiring().balancer().name());
    assertEquals(
        List.of("broken build"),
        UncaughtErrors.takeMessages(),
        "the failure is logged as an error");
  }

  @Test
  void balancerThrowingOnUpdateFallsBackToo() {
    BrokenRoundRobin broken = new BrokenRoundRobin(false);
    f.balancers.register(broken);
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    assertEquals(1, f.pickFirst.built.size());
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals("pick_first", conn.describeWiring().balancer().name());
    assertEquals(
        List.of("broken update"),
        UncaughtErrors.takeMessages(),
        "the failure is logged as an error");
  }

  @Test
  void balancerThrowingWhileServingIsReplacedByTheNextListedPolicy() {
    ScriptedBalancer.Provider scripted = new ScriptedBalancer.Provider();
    f.balancers.register(scripted);
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options()
                .defaultServiceConfig(
                    "{\"loadBalancingConfig\": [{\"scripted\": {}}, {\"pick_first\": {}}]}")
                .build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    ScriptedBalancer.Provider.throwOnSubConnState = true;
    scripted.last().connectSubConn(scripted.last().updates.get(0));
    assertEquals(1, f.pickFirst.built.size());
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals("pick_first", conn.describeWiring().balancer().name());
    assertEquals(
        List.of("listener failure"),
        UncaughtErrors.takeMessages(),
        "the failure is logged as an error");
  }

  @Test
  void resolverThatThrowsOnStartKeepsTheOldAddressesAndIsRetriedWithBackoff() {
    ClientConnImpl conn = f.readyChannel();
    int[] starts = {0};
    FakeResolverProvider throwing =
        new FakeResolverProvider("fake") {
          @Override
          public Resolver newResolver(Target target, ResolverConn resolverConn) {
            starts[0]++;
            throw new IllegalStateException("resolver bug");
          }
        };
    f.resolvers.register(throwing, 5, "bundle broken.resolver 2.0.0", null);
    assertEquals(1, starts[0]);
    assertEquals(ConnectivityState.READY, conn.getState(false), "old addresses kept");
    ChannelWiring.Component resolver = conn.describeWiring().resolver();
    assertEquals(ChannelWiring.State.FAILED, resolver.state());
    assertTrue(resolver.detail().startsWith("resolver for scheme 'fake' failed to start"));
    assertFalse(ChannelFixture.startCall(conn, CallOptions.DEFAULT).isClosed());

    f.clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(2, starts[0], "no resolver exists to retry: the channel creates it again");
  }

  @Test
  void transportFactoryThrowingIsReportedAndTheChannelLives() {
    f.transports.deregister(f.transport);
    FakeTransportProvider throwing =
        new FakeTransportProvider("netty") {
          @Override
          public ClientTransportFactory newClientTransportFactory(
              TransportCredentials credentials) {
            throw new IllegalArgumentException("credentials not supported");
          }
        };
    f.transports.register(throwing);
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver.last().resolve(address(1));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(Status.Code.UNAVAILABLE, call.status().getCode());
    assertTrue(
        call.status()
            .getDescription()
            .startsWith("transport 'netty' cannot create " + "connections"),
        call.status().getDescription());
    assertEquals(ChannelWiring.State.FAILED, conn.describeWiring().transport().state());

    f.transports.register(f.transport, 1, "bundle good.transport 1.0.0", null);
    f.clock.forwardTime(1, TimeUnit.SECONDS); // the SubConn's reconnect backoff
    f.transport.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(
        List.of(ChannelWiring.State.ACTIVE),
        conn.describeWiring().components(ChannelWiring.Role.TRANSPORT).stream()
            .map(c -> c.state())
            .toList());
  }
}
