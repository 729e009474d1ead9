package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.ChannelFixture.RR_THEN_PF;
import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.testing.RecordingClientListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ClientConn.describeWiring()}: which providers, from where, and why; default scheme. */
class WiringTest {
  private final ChannelFixture f = new ChannelFixture();

  WiringTest() {
    f.resolvers.deregister(f.resolver);
    f.resolvers.register(f.resolver, 0, "bundle test.resolver 1.0.0", null);
    f.balancers.deregister(f.pickFirst);
    f.balancers.register(f.pickFirst, 0, "module test.pickfirst@1.0", null);
    f.transports.deregister(f.transport);
    f.transports.register(f.transport, 0, "bundle test.transport 1.0.0", null);
    f.codecs.register(ChannelFixture.stringCodec("proto"), 0, "bundle test.codec 1.0.0", null);
  }

  @Test
  void describesEveryProviderItsOriginAndWhyItWon() {
    ClientConnImpl conn =
        f.dial("fake:///svc", f.options().defaultServiceConfig(RR_THEN_PF).build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    f.transport.last().ready();
    ChannelFixture.startCall(
        conn,
        MethodDescriptor.of("test.Echo/Codec", MethodType.UNARY, String.class, String.class),
        CallOptions.DEFAULT,
        "hi");

    ChannelWiring wiring = conn.describeWiring();
    assertEquals("fake:///svc", wiring.target());
    assertEquals("fake", wiring.scheme());
    assertEquals(ConnectivityState.READY, wiring.connectivityState());
    assertEquals(
        """
        ClientConn 'fake:///svc' READY, scheme fake
          resolver fake [ACTIVE] from bundle test.resolver 1.0.0: scheme named by the target; \
        the only provider of 'fake' (1 address(es))
          balancer pick_first [ACTIVE] from module test.pickfirst@1.0: default service config: \
        first available in loadBalancingConfig [round_robin, pick_first]; round_robin not \
        deployed; the only provider of 'pick_first'
          transport netty [ACTIVE] from bundle test.transport 1.0.0: default transport name \
        'netty'; the only provider of 'netty' (1 connection(s))
          codec proto [ACTIVE] from bundle test.codec 1.0.0: codec of the calls' methods; the \
        only provider of 'proto'""",
        wiring.toString());
    assertEquals("pick_first", wiring.balancer().name());
    assertEquals("bundle test.transport 1.0.0", wiring.transport().origin());
  }

  @Test
  void transportDetailSaysHowItsFactoryConnects() {
    f.transport.description = "TLS by OpenSSL (BoringSSL), netty-tcnative found";
    ClientConnImpl conn = f.dial("fake:///svc", f.options().build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    f.transport.last().ready();
    assertEquals(
        "1 connection(s); TLS by OpenSSL (BoringSSL), netty-tcnative found",
        conn.describeWiring().transport().detail());
  }

  @Test
  void explainsRankingAmongSeveralProviders() {
    f.transports.register(
        new FakeTransportProvider("netty"), 0, "bundle other.transport 1.0.0", null);
    FakeTransportProvider ranked = new FakeTransportProvider("netty");
    f.transports.register(ranked, 7, "bundle ranked.transport 1.0.0", null);
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver.last().resolve(address(1));
    ranked.last().ready();
    ChannelWiring.Component transport = conn.describeWiring().transport();
    assertEquals("bundle ranked.transport 1.0.0", transport.origin());
    assertEquals(
        "default transport name 'netty'; highest ranking (7) among 3 providers of " + "'netty'",
        transport.reason());
  }

  @Test
  void idleChannelShowsWhatItWouldUse() {
    ClientConnImpl conn = f.dial("fake:///svc");
    ChannelWiring wiring = conn.describeWiring();
    assertEquals(ConnectivityState.IDLE, wiring.connectivityState());
    assertEquals("not started: the channel is IDLE", wiring.resolver().detail());
    assertNull(wiring.balancer());
    assertEquals("no connection yet", wiring.transport().detail());
  }

  @Test
  void missingPiecesAreNamed() {
    f.transports.deregister(f.transport);
    ClientConnImpl conn = f.dial("xyz:///svc");
    conn.connect();
    ChannelWiring wiring = conn.describeWiring();
    assertEquals(ChannelWiring.State.MISSING, wiring.resolver().state());
    assertEquals(
        "no resolver for scheme 'xyz' deployed; calls wait for it (grace period PT5S)",
        wiring.resolver().detail());
    assertEquals(ChannelWiring.State.MISSING, wiring.transport().state());
    f.clock.forwardTime(5, TimeUnit.SECONDS);
    assertEquals(
        "no resolver for scheme 'xyz' deployed; calls fail until it is deployed",
        conn.describeWiring().resolver().detail());
  }

  @Test
  void noUsablePolicyIsShownAsAMissingBalancer() {
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options()
                .defaultServiceConfig("{\"loadBalancingConfig\": [{\"round_robin\": {}}]}")
                .build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    ChannelWiring.Component balancer =
        conn.describeWiring().components(ChannelWiring.Role.BALANCER).get(0);
    assertEquals(ChannelWiring.State.MISSING, balancer.state());
    assertEquals(
        "no balancing policy deployed among [round_robin] (deployed: [pick_first]): "
            + "register a BalancerProvider for 'round_robin' in the BalancerRegistry in use; calls "
            + "wait for it (grace period PT5S)",
        balancer.detail());
  }

  @Test
  void defaultSchemeIsDnsWhenADnsResolverIsDeployed() {
    FakeResolverProvider dns = new FakeResolverProvider("dns");
    f.resolvers.register(dns, 0, "module dev.switchboard.resolver.dns@0.1.0", null);
    ClientConnImpl conn = f.dial("localhost:50051");
    assertEquals("localhost:50051", conn.authority());
    conn.connect();
    assertEquals("localhost:50051", dns.last().target.endpoint());
    ChannelWiring wiring = conn.describeWiring();
    assertEquals("dns", wiring.scheme());
    assertEquals("module dev.switchboard.resolver.dns@0.1.0", wiring.resolver().origin());
    assertEquals(
        "default scheme: the target names none and a 'dns' resolver is deployed; the "
            + "only provider of 'dns'",
        wiring.resolver().reason());
  }

  @Test
  void defaultSchemeIsPassthroughWithoutADnsResolver() {
    ClientConnImpl conn = f.dial("localhost:50051");
    ChannelWiring wiring = conn.describeWiring();
    assertEquals("passthrough", wiring.scheme());
    assertEquals("built-in", wiring.resolver().origin());
    assertEquals(
        "default scheme: the target names none and no 'dns' resolver is deployed; "
            + "built-in resolver",
        wiring.resolver().reason());
  }

  @Test
  void explicitSchemeIsReportedAsSuch() {
    f.resolvers.register(new FakeResolverProvider("dns"));
    ClientConnImpl conn = f.dial("passthrough:///localhost:50051");
    assertEquals("passthrough", conn.describeWiring().scheme());
    assertTrue(conn.describeWiring().resolver().reason().startsWith("scheme named by the target"));
  }

  @Test
  void childPoliciesAreListedAndHeldUntilTheirParentCloses() {
    f.balancers.deregister(f.pickFirst);
    ChannelFixture.Released childReleased = new ChannelFixture.Released();
    f.balancers.register(f.pickFirst, 0, "module test.pickfirst@1.0", childReleased);
    f.balancers.register(
        new BalancerProvider() {
          @Override
          public String name() {
            return "parent";
          }

          @Override
          public Balancer newBalancer(BalancerConn conn) {
            return conn.childPolicy("pick_first").newBalancer(conn); // delegates to its child
          }
        },
        0,
        "bundle test.parent 1.0.0",
        null);
    ClientConnImpl conn =
        f.readyChannel(
            f.options()
                .defaultServiceConfig("{\"loadBalancingConfig\": [{\"parent\": {}}]}")
                .build());
    ChannelWiring.Component parent = conn.describeWiring().balancer();
    assertEquals("parent", parent.name());
    assertEquals(1, parent.children().size());
    ChannelWiring.Component child = parent.children().get(0);
    assertEquals("pick_first", child.name());
    assertEquals("module test.pickfirst@1.0", child.origin());
    assertEquals("child policy of parent; the only provider of 'pick_first'", child.reason());

    f.balancers.deregister(f.pickFirst);
    assertEquals(0, childReleased.count, "held while its parent runs");
    conn.close();
    assertEquals(1, childReleased.count);
  }

  @Test
  void snapshotIsImmutableAndComparable() {
    ClientConnImpl conn = f.readyChannel();
    ChannelWiring a = conn.describeWiring();
    ChannelWiring b = conn.describeWiring();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    org.junit.jupiter.api.Assertions.assertThrows(
        UnsupportedOperationException.class, () -> a.components().clear());
  }

  private static final String ROUND_ROBIN = "{\"loadBalancingConfig\": [{\"round_robin\": {}}]}";

  private static String connections(ClientConnImpl conn) {
    return conn.describeWiring().transport().detail();
  }

  @Test
  void countsConnectionsOfAChannelCreatedBeforeItsTransport() {
    f.balancers.register(new TestRoundRobinBalancer.Provider("1.0"));
    f.transports.deregister(f.transport);
    ClientConnImpl conn =
        f.dial("fake:///svc", f.options().defaultServiceConfig(ROUND_ROBIN).build());
    conn.connect();
    f.resolver.last().resolve(address(1), address(2), address(3));
    f.transports.register(f.transport, 0, "bundle test.transport 1.0.0", null);
    assertEquals("0 connection(s), 3 connecting", connections(conn));
    f.transport.transports.forEach(FakeTransport::ready);
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals("3 connection(s)", connections(conn));
  }

  @Test
  void countsConnectionsAfterATransportRestart() {
    f.balancers.register(new TestRoundRobinBalancer.Provider("1.0"));
    ClientConnImpl conn =
        f.dial("fake:///svc", f.options().defaultServiceConfig(ROUND_ROBIN).build());
    conn.connect();
    f.resolver.last().resolve(address(1), address(2), address(3));
    f.transport.transports.forEach(FakeTransport::ready);
    assertEquals("3 connection(s)", connections(conn));

    f.transports.deregister(f.transport);
    FakeTransportProvider restarted = new FakeTransportProvider("netty");
    f.transports.register(restarted, 0, "bundle test.transport 1.0.1", null);
    restarted.transports.forEach(FakeTransport::ready);
    assertEquals(ConnectivityState.READY, conn.getState(false));
    ChannelWiring wiring = conn.describeWiring();
    assertEquals(
        List.of(ChannelWiring.State.ACTIVE),
        wiring.components(ChannelWiring.Role.TRANSPORT).stream()
            .map(ChannelWiring.Component::state)
            .toList(),
        "the old one has drained");
    assertEquals("bundle test.transport 1.0.1", wiring.transport().origin());
    assertEquals("3 connection(s)", wiring.transport().detail());
  }

  @Test
  void countsConnectionsAfterASwitchFromPickFirstToRoundRobin() {
    f.balancers.register(new TestRoundRobinBalancer.Provider("1.0"));
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver.last().resolve(address(1), address(2), address(3));
    FakeTransport pickFirst = f.transport.last();
    pickFirst.ready();
    RecordingClientListener<String> inFlight = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals("1 connection(s)", connections(conn));

    conn.updateServiceConfig(ROUND_ROBIN);
    assertEquals("1 connection(s), 3 connecting", connections(conn));
    f.transport.transports.subList(1, 4).forEach(FakeTransport::ready);
    assertEquals(
        List.of("round_robin"),
        conn.describeWiring().components(ChannelWiring.Role.BALANCER).stream()
            .map(c -> c.name())
            .toList());
    assertEquals("3 connection(s), 1 closing", connections(conn), "pick_first's finishes a call");

    pickFirst.lastStream().deliverMessage("ok");
    pickFirst.lastStream().close(Status.OK, new Metadata());
    assertEquals(Status.OK, inFlight.status());
    assertEquals("3 connection(s)", connections(conn));
  }
}
