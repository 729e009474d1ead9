package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.testing.RecordingClientListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Providers leaving a live channel (an OSGi bundle stopping): resolver, transport and codec. The
 * channel carries on with what it has, says so, and releases each provider once it stopped using
 * it.
 */
class ProviderLeavingTest {
  private final ChannelFixture f = new ChannelFixture();
  private final ChannelFixture.Released released = new ChannelFixture.Released();

  private static void finishOk(FakeStream<String> stream) {
    stream.deliverMessage("ok");
    stream.close(Status.OK, new Metadata());
  }

  @Test
  void resolverLeavingKeepsTheLastAddressesAndResumesWithANewOne() {
    f.resolvers.deregister(f.resolver);
    f.resolvers.register(f.resolver, 0, "bundle test.resolver 1.0.0", released);
    ClientConnImpl conn = f.readyChannel();
    FakeResolverProvider.FakeResolver first = f.resolver.last();

    f.resolvers.deregister(f.resolver);
    assertTrue(first.closed);
    assertEquals(1, released.count, "released as soon as its resolver is closed");
    ChannelWiring.Component resolver = conn.describeWiring().resolver();
    assertEquals(ChannelWiring.State.LOST, resolver.state());
    assertEquals("bundle test.resolver 1.0.0", resolver.origin());
    assertEquals(
        "its provider left; keeping the last 1 address(es) until a resolver for 'fake' "
            + "is deployed",
        resolver.detail());

    // Calls keep working, reconnections too: the balancer keeps its addresses.
    FakeTransport t = f.transport.last();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    finishOk(t.lastStream());
    assertEquals(Status.OK, call.status());
    t.goAway(Status.UNAVAILABLE.withDescription("GOAWAY")); // re-resolution is asked: no-op
    RecordingClientListener<String> again = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.transport.last().ready();
    assertEquals(address(1).socketAddress(), f.transport.last().address);
    assertFalse(again.isClosed());

    FakeResolverProvider back = new FakeResolverProvider("fake");
    f.resolvers.register(back);
    assertTrue(back.last().started, "resolving resumes with a new resolver");
    back.last().resolve(address(2));
    assertEquals(List.of(address(2)), f.pickFirst.last().updates.get(1).addresses());
    assertEquals(ChannelWiring.State.ACTIVE, conn.describeWiring().resolver().state());
  }

  @Test
  void resolverReplacedByANewVersionResolvesWithIt() {
    ClientConnImpl conn = f.readyChannel();
    FakeResolverProvider v2 = new FakeResolverProvider("fake");
    f.resolvers.register(v2, 5, "bundle test.resolver 2.0.0", null);
    assertTrue(f.resolver.last().closed);
    assertTrue(v2.last().started);
    assertEquals("bundle test.resolver 2.0.0", conn.describeWiring().resolver().origin());
  }

  @Test
  void resolverLeavingBeforeAnyResultFailsCallsNamingIt() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolvers.deregister(f.resolver);
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(call.isClosed(), "waits for a resolver during the grace period");
    f.clock.forwardTime(DialOptions.DEFAULT_PROVIDER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    assertEquals(Status.Code.UNAVAILABLE, call.status().getCode());
    assertTrue(
        call.status().getDescription().startsWith("no resolver for scheme 'fake'"),
        call.status().getDescription());
  }

  @Test
  void transportLeavingDrainsItsConnectionsAndNamesTheMissingTransport() {
    f.transports.deregister(f.transport);
    f.transports.register(f.transport, 0, "bundle test.transport 1.0.0", released);
    ClientConnImpl conn = f.readyChannel();
    FakeTransport t = f.transport.last();
    RecordingClientListener<String> inFlight = ChannelFixture.startCall(conn, CallOptions.DEFAULT);

    f.transports.deregister(f.transport);
    assertNotNull(t.shutdownReason, "no new calls on it");
    assertNull(t.shutdownNowReason, "but its calls go on");
    assertEquals(
        "transport 'netty' from bundle test.transport 1.0.0 was removed",
        t.shutdownReason.getDescription());
    assertEquals(0, released.count);
    List<ChannelWiring.Component> transports =
        conn.describeWiring().components(ChannelWiring.Role.TRANSPORT);
    assertEquals(
        List.of(ChannelWiring.State.MISSING, ChannelWiring.State.DRAINING),
        transports.stream().map(ChannelWiring.Component::state).toList());

    RecordingClientListener<String> fresh = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(fresh.isClosed(), "waits for a transport during the grace period");
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    f.clock.forwardTime(DialOptions.DEFAULT_PROVIDER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    assertEquals(
        Status.UNAVAILABLE.withDescription(
            "no transport 'netty' deployed: register a "
                + "TransportProvider for 'netty' in the TransportRegistry in use"),
        fresh.status());

    finishOk(t.lastStream());
    assertEquals(Status.OK, inFlight.status(), "drained, not failed");
    assertTrue(t.terminated);
    assertEquals(1, f.transport.factoriesClosed);
    assertEquals(1, released.count, "released once its last connection is gone");
  }

  @Test
  void transportReplacedReconnectsThroughTheNewOne() {
    ClientConnImpl conn = f.readyChannel();
    FakeTransport old = f.transport.last();
    FakeTransportProvider v2 = new FakeTransportProvider("netty");
    f.transports.register(v2, 1, "bundle test.transport 2.0.0", null);
    assertNotNull(old.shutdownReason);
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(call.isClosed(), "waits for the new connection");
    v2.last().ready();
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(1, v2.last().streams.size());
    assertEquals("bundle test.transport 2.0.0", conn.describeWiring().transport().origin());
    assertEquals(1, f.transport.factoriesClosed, "the old factory closed once drained");
  }

  @Test
  void revokedTransportClosesItsDrainingConnectionsNowAndReleases() {
    f.transports.deregister(f.transport);
    f.transports.register(f.transport, 0, "bundle test.transport 1.0.0", released);
    ClientConnImpl conn = f.readyChannel();
    FakeTransport t = f.transport.last();
    RecordingClientListener<String> inFlight = ChannelFixture.startCall(conn, CallOptions.DEFAULT);

    f.transports.deregister(f.transport);
    assertNull(t.shutdownNowReason, "draining");
    assertEquals(0, released.count);
    RecordingClientListener<String> queued = ChannelFixture.startCall(conn, CallOptions.DEFAULT);

    assertEquals(1, f.transports.revoke(f.transport), "the channel's lease had an action");
    assertEquals(
        Status.UNAVAILABLE.withDescription(
            "transport provider 'netty' from bundle test.transport 1.0.0 left; its connection "
                + "was closed"),
        inFlight.status());
    assertTrue(t.terminated);
    assertEquals(1, f.transport.factoriesClosed);
    assertEquals(1, released.count, "released as its connections terminated");
    assertFalse(queued.isClosed(), "a queued call waits for a transport (grace period)");

    FakeTransportProvider v2 = new FakeTransportProvider("netty");
    f.transports.register(v2, 0, "bundle test.transport 2.0.0", null);
    v2.last().ready();
    finishOk(v2.last().lastStream());
    assertEquals(Status.OK, queued.status(), "went to the replacement");
    assertEquals(0, f.transports.revoke(f.transport), "nothing left to revoke");
  }

  @Test
  void revocationAfterTheDrainFinishedDoesNothing() {
    f.transports.deregister(f.transport);
    f.transports.register(f.transport, 0, "bundle test.transport 1.0.0", released);
    ClientConnImpl conn = f.readyChannel();
    FakeTransport t = f.transport.last();
    RecordingClientListener<String> inFlight = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.transports.deregister(f.transport);
    finishOk(t.lastStream());
    assertEquals(Status.OK, inFlight.status());
    assertEquals(1, released.count);
    assertEquals(0, f.transports.revoke(f.transport));
    assertNull(t.shutdownNowReason);
  }

  @Test
  void codecLeavingFailsNewCallsClearlyAndWaitsForCallsInFlight() {
    CodecProvider codec = ChannelFixture.stringCodec("proto");
    f.codecs.register(codec, 0, "bundle test.codec 1.0.0", released);
    MethodDescriptor<String, String> viaCodec =
        MethodDescriptor.of("test.Echo/Codec", MethodType.UNARY, String.class, String.class);
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> inFlight =
        ChannelFixture.startCall(conn, viaCodec, CallOptions.DEFAULT, "hi");
    ChannelWiring.Component used =
        conn.describeWiring().components(ChannelWiring.Role.CODEC).get(0);
    assertEquals("bundle test.codec 1.0.0", used.origin());

    f.codecs.deregister(codec);
    assertEquals(0, released.count, "held by the call in flight");
    RecordingClientListener<String> fresh =
        ChannelFixture.startCall(conn, viaCodec, CallOptions.DEFAULT, "hi");
    assertEquals(Status.Code.INTERNAL, fresh.status().getCode());
    assertTrue(fresh.status().getDescription().startsWith("no codec 'proto' deployed"));

    finishOk(f.lastStream());
    assertEquals(Status.OK, inFlight.status());
    assertEquals(1, released.count);
    assertEquals(
        ChannelWiring.State.MISSING,
        conn.describeWiring().components(ChannelWiring.Role.CODEC).get(0).state());
  }

  @Test
  void closingTheChannelReleasesEverything() {
    ChannelFixture.Released resolver = new ChannelFixture.Released();
    ChannelFixture.Released balancer = new ChannelFixture.Released();
    ChannelFixture.Released transport = new ChannelFixture.Released();
    f.resolvers.deregister(f.resolver);
    f.resolvers.register(f.resolver, 0, "r", resolver);
    f.balancers.deregister(f.pickFirst);
    f.balancers.register(f.pickFirst, 0, "b", balancer);
    f.transports.deregister(f.transport);
    f.transports.register(f.transport, 0, "t", transport);
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> inFlight = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.resolvers.deregister(f.resolver);
    f.balancers.deregister(f.pickFirst);
    f.transports.deregister(f.transport);
    assertEquals(1, resolver.count);
    assertEquals(1, balancer.count, "let go of at once, though no other policy is deployed");
    assertEquals(0, transport.count, "draining a call");

    conn.close();
    assertEquals(Status.Code.CANCELLED, inFlight.status().getCode());
    assertTrue(conn.isTerminated());
    assertEquals(1, balancer.count);
    assertEquals(1, transport.count);
  }
}
