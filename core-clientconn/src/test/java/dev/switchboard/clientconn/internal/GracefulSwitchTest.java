package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.ChannelFixture.RR_THEN_PF;
import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.testing.RecordingClientListener;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The graceful switch: a channel configured {@code [round_robin, pick_first]} follows round_robin's
 * provider in and out of the registry, keeping the old balancer's picker until the new one is
 * READY, and releasing the old provider only once the switch is over; a provider that leaves is let
 * go of at once, calls waiting for the new balancer's connection instead.
 */
class GracefulSwitchTest {
  private final ChannelFixture f = new ChannelFixture();

  private ClientConnImpl dialRoundRobinThenPickFirst() {
    ClientConnImpl conn =
        f.dial("fake:///svc", f.options().defaultServiceConfig(RR_THEN_PF).build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    return conn;
  }

  private static List<String> balancers(ClientConnImpl conn) {
    return conn.describeWiring().components(ChannelWiring.Role.BALANCER).stream()
        .map(c -> c.name() + " " + c.state())
        .toList();
  }

  private static void finishOk(FakeStream<String> stream) {
    stream.deliverMessage("ok");
    stream.close(Status.OK, new Metadata());
  }

  @Test
  void oldPickerServesUntilTheNewBalancerIsReady() {
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    FakeTransport pfTransport = f.transport.last();
    pfTransport.ready();
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn));

    TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");
    f.balancers.register(rr, 0, "bundle test.roundrobin 1.0.0", null);
    assertEquals(1, rr.built.size());
    FakeTransport rrTransport = f.transport.last();
    assertNotSame(pfTransport, rrTransport);
    assertEquals(List.of("pick_first ACTIVE", "round_robin PENDING"), balancers(conn));

    RecordingClientListener<String> during = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, pfTransport.streams.size(), "the old picker still serves");
    assertTrue(rrTransport.streams.isEmpty());
    assertFalse(f.pickFirst.last().closed);
    assertNull(pfTransport.shutdownReason);

    rrTransport.ready();
    assertTrue(f.pickFirst.last().closed, "closed once the new balancer is READY");
    assertNotNull(pfTransport.shutdownReason, "its connection drains");
    assertNull(pfTransport.shutdownNowReason, "gracefully");
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));
    assertEquals(ConnectivityState.READY, conn.getState(false));

    finishOk(f.transport.transports.get(0).lastStream());
    assertEquals(Status.OK, during.status(), "the call in flight on the old connection finishes");
    RecordingClientListener<String> after = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, rrTransport.streams.size());
    assertFalse(after.isClosed());
  }

  @Test
  void oldBalancerInTransientFailureIsReplacedAtOnce() {
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    f.transport.last().fail(Status.UNAVAILABLE.withDescription("connection refused"));
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));

    TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");
    f.balancers.register(rr);
    assertTrue(f.pickFirst.last().closed, "nothing worth keeping: switched at once");
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));
    assertEquals(ConnectivityState.CONNECTING, conn.getState(false));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(call.isClosed(), "queued, not failed with the old policy's error");
    f.transport.last().ready();
    assertEquals(1, f.transport.last().streams.size());
  }

  @Test
  void oldBalancerLeavingReadyHandsOverBeforeTheNewOneIsReady() {
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    FakeTransport pfTransport = f.transport.last();
    pfTransport.ready();
    f.balancers.register(new TestRoundRobinBalancer.Provider("1.0"));
    FakeTransport rrTransport = f.transport.last();

    pfTransport.goAway(Status.UNAVAILABLE.withDescription("GOAWAY"));
    assertTrue(f.pickFirst.last().closed);
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(call.isClosed());
    rrTransport.ready();
    assertEquals(1, rrTransport.streams.size());
  }

  @Test
  void deregisteringTheProviderHandsOverAtOnceAndReleasesIt() throws Exception {
    TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");
    ChannelFixture.Released released = new ChannelFixture.Released();
    f.balancers.register(rr, 0, "bundle test.roundrobin 1.0.0", released);
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    FakeTransport rrTransport = f.transport.last();
    rrTransport.ready();
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));
    RecordingClientListener<String> before = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, rrTransport.streams.size());

    // Its bundle may be refreshed as soon as the unregistration returns: no waiting for READY.
    f.balancers.deregister(rr);
    assertTrue(rr.last().closed, "retired at once");
    assertEquals(1, released.count, "released at once");
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn));
    RecordingClientListener<String> queued = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(queued.isClosed(), "waits for pick_first's connection, does not fail");

    FakeTransport pfTransport = f.transport.last();
    assertNotSame(rrTransport, pfTransport);
    pfTransport.ready();
    assertEquals(1, pfTransport.streams.size(), "the queued call went to pick_first");
    finishOk(rrTransport.lastStream());
    assertTrue(before.awaitClose().isOk(), "the call in flight finished on its connection");
    assertEquals(1, f.pickFirst.built.size());
  }

  @Test
  void newVersionReplacesADepartedOneAtOnce() {
    TestRoundRobinBalancer.Provider v1 = new TestRoundRobinBalancer.Provider("1.0");
    ChannelFixture.Released v1Released = new ChannelFixture.Released();
    f.balancers.register(v1, 0, "bundle test.roundrobin 1.0.0", v1Released);
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    f.transport.last().ready();

    TestRoundRobinBalancer.Provider v2 = new TestRoundRobinBalancer.Provider("2.0");
    f.balancers.register(v2, 0, "bundle test.roundrobin 2.0.0", null);
    assertEquals(0, v2.built.size(), "equally ranked and registered later: v1 still wins");

    f.balancers.deregister(v1);
    assertEquals(1, v2.built.size());
    assertTrue(v1.last().closed);
    assertEquals(1, v1Released.count);
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));
    RecordingClientListener<String> queued = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(queued.isClosed());
    f.transport.last().ready();
    assertEquals(1, f.transport.last().streams.size());
    ChannelWiring.Component balancer = conn.describeWiring().balancer();
    assertEquals("bundle test.roundrobin 2.0.0", balancer.origin());
    assertEquals(0, f.pickFirst.built.size(), "never fell back to pick_first");
  }

  @Test
  void aPendingBalancerWhoseProviderLeavesIsDropped() {
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    f.transport.last().ready();
    TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");
    ChannelFixture.Released released = new ChannelFixture.Released();
    f.balancers.register(rr, 0, "bundle test.roundrobin 1.0.0", released);
    assertEquals(List.of("pick_first ACTIVE", "round_robin PENDING"), balancers(conn));

    f.balancers.deregister(rr);
    assertTrue(rr.last().closed);
    assertEquals(1, released.count);
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn));
  }

  @Test
  void theOnlyListedPolicyLeavingRetiresItAndCallsWaitForItsReturn() {
    TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");
    ChannelFixture.Released released = new ChannelFixture.Released();
    f.balancers.register(rr, 0, "bundle test.roundrobin 1.0.0", released);
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options()
                .defaultServiceConfig("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}")
                .providerGrace(java.time.Duration.ofMinutes(1))
                .build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    f.transport.last().ready();
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));

    f.balancers.deregister(rr);
    assertTrue(rr.last().closed, "retired although nothing replaces it");
    assertEquals(1, released.count);
    ChannelWiring.Component missing = conn.describeWiring().balancer();
    assertEquals(ChannelWiring.State.MISSING, missing.state(), missing.toString());
    RecordingClientListener<String> waiting = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertFalse(waiting.isClosed(), "waits for a policy within the grace period");

    TestRoundRobinBalancer.Provider back = new TestRoundRobinBalancer.Provider("1.1");
    f.balancers.register(back, 0, "bundle test.roundrobin 1.1.0", null);
    f.transport.last().ready();
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));
    assertEquals(1, f.transport.last().streams.size(), "the waiting call was served");
  }

  @Test
  void higherRankedVersionTakesOverWhileTheOldIsStillRegistered() {
    TestRoundRobinBalancer.Provider v1 = new TestRoundRobinBalancer.Provider("1.0");
    f.balancers.register(v1, 0, "bundle test.roundrobin 1.0.0", null);
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    f.transport.last().ready();

    TestRoundRobinBalancer.Provider v2 = new TestRoundRobinBalancer.Provider("2.0");
    f.balancers.register(v2, 10, "bundle test.roundrobin 2.0.0", null);
    f.transport.last().ready();
    assertTrue(v1.last().closed);
    ChannelWiring.Component balancer = conn.describeWiring().balancer();
    assertEquals("bundle test.roundrobin 2.0.0", balancer.origin());
    assertTrue(
        balancer.reason().endsWith("highest ranking (10) among 2 providers of " + "'round_robin'"),
        balancer.reason());
  }

  @Test
  void switchingBackBeforeTheNewOneIsReadyDropsIt() {
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    f.transport.last().ready();
    TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");
    ChannelFixture.Released released = new ChannelFixture.Released();
    f.balancers.register(rr, 0, "bundle test.roundrobin 1.0.0", released);
    FakeTransport rrTransport = f.transport.last();

    f.balancers.deregister(rr);
    assertTrue(rr.last().closed);
    assertNotNull(rrTransport.shutdownReason);
    assertEquals(1, released.count);
    assertFalse(f.pickFirst.last().closed);
    assertEquals(1, f.pickFirst.built.size(), "the serving balancer was kept, not rebuilt");
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn));
  }

  @Test
  void aSubConnShutDownRightAfterItWasPickedIsPickedAgain() {
    ScriptedBalancer.Provider scripted = new ScriptedBalancer.Provider();
    f.balancers.register(scripted);
    ClientConnImpl conn =
        f.dial(
            "fake:///svc",
            f.options()
                .defaultServiceConfig(
                    "{\"loadBalancingConfig\": [{\"round_robin\": {}}, {\"scripted\": {}}]}")
                .build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    ScriptedBalancer old = scripted.last();
    SubConn oldSubConn = old.connectSubConn(old.updates.get(0));
    FakeTransport oldTransport = f.transport.last();
    oldTransport.ready();
    // The old picker returns its SubConn, but the switch completes (and shuts that SubConn down)
    // between the pick and the creation of the stream.
    boolean[] raced = {false};
    FakeTransport[] rrTransport = {null};
    old.publish(
        ConnectivityState.READY,
        info -> {
          if (!raced[0]) {
            raced[0] = true;
            rrTransport[0].ready();
          }
          return PickResult.withSubConn(oldSubConn);
        });
    f.balancers.register(new TestRoundRobinBalancer.Provider("1.0"));
    rrTransport[0] = f.transport.last();

    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertTrue(raced[0]);
    assertTrue(old.closed);
    assertFalse(call.isClosed(), "not failed: picked again with the new picker");
    assertTrue(oldTransport.streams.isEmpty());
    assertEquals(1, rrTransport[0].streams.size());
    finishOk(rrTransport[0].lastStream());
    assertEquals(Status.OK, call.status());
  }

  @Test
  void aTransportShutDownWhileItsStreamIsBeingCreatedLetsTheStreamStartFirst() {
    ClientConnImpl conn = dialRoundRobinThenPickFirst();
    FakeTransport pfTransport = f.transport.last();
    pfTransport.ready();
    f.balancers.register(new TestRoundRobinBalancer.Provider("1.0"));
    FakeTransport rrTransport = f.transport.last();
    // While a call creates its stream on pick_first's transport, the switch completes.
    pfTransport.beforeNewStream = rrTransport::ready;

    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertTrue(f.pickFirst.last().closed);
    FakeStream<String> stream = pfTransport.lastStream();
    assertEquals(
        List.of("start", "request 2", "write hi", "halfClose"),
        stream.events,
        "started before the transport was told to shut down: not refused");
    assertNotNull(pfTransport.shutdownReason);
    finishOk(stream);
    assertEquals(Status.OK, call.status());
  }
}
