package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.spi.ResolverState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ClientConn.updateDefaultServiceConfig}: a live channel's default service config replaced,
 * switched to gracefully when it is in force, kept for later when another config has precedence.
 */
class UpdateDefaultServiceConfigTest {
  private static final String ROUND_ROBIN = "{\"loadBalancingConfig\": [{\"round_robin\": {}}]}";
  private static final String PICK_FIRST = "{\"loadBalancingConfig\": [{\"pick_first\": {}}]}";
  private static final String ECHO_SMALL =
      "{\"methodConfig\": [{\"name\": [{\"service\": \"test.Echo\"}],"
          + " \"maxRequestMessageBytes\": 10}]}";

  private final ChannelFixture f = new ChannelFixture();
  private final TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");

  UpdateDefaultServiceConfigTest() {
    f.balancers.register(rr);
  }

  private static List<String> balancers(ClientConnImpl conn) {
    return conn.describeWiring().components(ChannelWiring.Role.BALANCER).stream()
        .map(c -> c.name() + " " + c.state())
        .toList();
  }

  @Test
  void switchesALiveChannelGracefully() {
    ClientConnImpl conn = f.readyChannel();
    FakeTransport pfTransport = f.transport.last();

    conn.updateDefaultServiceConfig(ROUND_ROBIN);
    assertEquals(List.of("pick_first ACTIVE", "round_robin PENDING"), balancers(conn));
    ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, pfTransport.streams.size(), "pick_first serves meanwhile");

    f.transport.last().ready();
    assertTrue(f.pickFirst.last().closed);
    ChannelWiring.Component balancer = conn.describeWiring().balancer();
    assertEquals("round_robin ACTIVE", balancer.name() + " " + balancer.state());
    assertTrue(balancer.reason().startsWith("default service config: "), balancer.reason());

    conn.updateDefaultServiceConfig(null);
    assertEquals(List.of("round_robin ACTIVE", "pick_first PENDING"), balancers(conn));
    f.transport.last().ready();
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn));
  }

  @Test
  void replacesTheDialOptionsDefaultAndItsMethodSettings() {
    ClientConnImpl conn = f.readyChannel(f.options().defaultServiceConfig(ROUND_ROBIN).build());
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));

    conn.updateDefaultServiceConfig(ECHO_SMALL); // no policy listed: pick_first
    f.transport.last().ready();
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn));
    ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(10, f.lastStream().callOptions.getMaxOutboundMessageSize());
  }

  @Test
  void theResolversConfigAndAnExplicitOneKeepPrecedence() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.connect();
    f.resolver
        .last()
        .conn
        .updateState(new ResolverState(List.of(address(1)), PICK_FIRST, Attributes.EMPTY));
    f.transport.last().ready();

    conn.updateDefaultServiceConfig(ROUND_ROBIN);
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn), "the resolver's config decides");
    assertTrue(rr.built.isEmpty());

    // The resolver stops sending a config: the new default takes over.
    f.resolver.last().resolve(address(1));
    assertEquals(List.of("pick_first ACTIVE", "round_robin PENDING"), balancers(conn));
    f.transport.last().ready();
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));

    conn.updateServiceConfig(PICK_FIRST);
    f.transport.last().ready();
    conn.updateDefaultServiceConfig(null);
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn), "updateServiceConfig decides");
  }

  @Test
  void setWhileIdleAppliesToTheFirstResolutionAndToCallsBeforeIt() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.updateDefaultServiceConfig(ROUND_ROBIN);
    conn.updateDefaultServiceConfig(ECHO_SMALL);
    ChannelFixture.startCall(conn, CallOptions.DEFAULT); // waits for the first resolution
    f.resolver.last().resolve(address(1));
    f.transport.last().ready();
    assertEquals(10, f.lastStream().callOptions.getMaxOutboundMessageSize());
    assertTrue(rr.built.isEmpty(), "the last default wins");
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn));
  }

  @Test
  void sameConfigAgainChangesNothing() {
    ClientConnImpl conn = f.readyChannel();
    conn.updateDefaultServiceConfig(ROUND_ROBIN);
    f.transport.last().ready();
    conn.updateDefaultServiceConfig(ROUND_ROBIN);
    assertEquals(1, rr.built.size());
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));
  }

  @Test
  void invalidConfigsAreRefusedAtOnceAndClosedChannelsRefuse() {
    ClientConnImpl conn = f.readyChannel();
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> conn.updateDefaultServiceConfig("{"))
            .getMessage()
            .startsWith("invalid service config: invalid JSON"));
    assertEquals(
        "invalid service config: loadBalancingConfig must be a list",
        assertThrows(
                IllegalArgumentException.class,
                () -> conn.updateDefaultServiceConfig("{\"loadBalancingConfig\": {}}"))
            .getMessage());
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn), "nothing changed");

    conn.shutdown();
    assertThrows(IllegalStateException.class, () -> conn.updateDefaultServiceConfig(ROUND_ROBIN));
    assertFalse(rr.built.size() > 0);
  }
}
