package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.ConfigOrError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ClientConn.updateServiceConfig}: changing a live channel's policy (grpc-java #10424). */
class UpdateServiceConfigTest {
  private static final String ROUND_ROBIN = "{\"loadBalancingConfig\": [{\"round_robin\": {}}]}";
  private final ChannelFixture f = new ChannelFixture();
  private final TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");

  UpdateServiceConfigTest() {
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

    conn.updateServiceConfig(ROUND_ROBIN);
    assertEquals(List.of("pick_first ACTIVE", "round_robin PENDING"), balancers(conn));
    ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, pfTransport.streams.size(), "pick_first serves meanwhile");

    f.transport.last().ready();
    assertTrue(f.pickFirst.last().closed);
    ChannelWiring.Component balancer = conn.describeWiring().balancer();
    assertEquals("round_robin", balancer.name());
    assertTrue(
        balancer
            .reason()
            .startsWith(
                "service config set by updateServiceConfig: "
                    + "first available in loadBalancingConfig [round_robin]"),
        balancer.reason());
  }

  @Test
  void overridesTheResolversConfigUntilCleared() {
    ClientConnImpl conn = f.readyChannel();
    conn.updateServiceConfig(ROUND_ROBIN);
    f.transport.last().ready();
    // The resolver's own config no longer decides...
    f.resolver
        .last()
        .conn
        .updateState(
            new dev.switchboard.api.spi.ResolverState(
                List.of(address(1)),
                "{\"loadBalancingConfig\": [{\"pick_first\": {}}]}",
                dev.switchboard.api.Attributes.EMPTY));
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));

    // ... until the override is cleared.
    conn.updateServiceConfig(null);
    assertEquals(List.of("round_robin ACTIVE", "pick_first PENDING"), balancers(conn));
    f.transport.last().ready();
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn));
    assertTrue(
        conn.describeWiring().balancer().reason().startsWith("service config from the resolver"));
  }

  @Test
  void setWhileIdleAppliesToTheFirstResolution() {
    ClientConnImpl conn = f.dial("fake:///svc");
    conn.updateServiceConfig(ROUND_ROBIN);
    conn.connect();
    f.resolver.last().resolve(address(1), address(2));
    assertEquals(1, rr.built.size());
    assertTrue(f.pickFirst.built.isEmpty());
  }

  @Test
  void sameConfigAgainChangesNothing() {
    ClientConnImpl conn = f.readyChannel();
    conn.updateServiceConfig(ROUND_ROBIN);
    f.transport.last().ready();
    conn.updateServiceConfig(ROUND_ROBIN);
    assertEquals(1, rr.built.size());
    assertEquals(List.of("round_robin ACTIVE"), balancers(conn));
  }

  @Test
  void invalidConfigsAreRefusedAtOnce() {
    ClientConnImpl conn = f.readyChannel();
    f.balancers.register(new PickyProvider());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> conn.updateServiceConfig("{"))
            .getMessage()
            .startsWith("invalid service config: invalid JSON"));
    assertEquals(
        "invalid service config: expected a JSON object",
        assertThrows(IllegalArgumentException.class, () -> conn.updateServiceConfig("[]"))
            .getMessage());
    assertEquals(
        "invalid service config: loadBalancingConfig must be a list",
        assertThrows(
                IllegalArgumentException.class,
                () -> conn.updateServiceConfig("{\"loadBalancingConfig\": {}}"))
            .getMessage());
    assertEquals(
        "invalid config for balancing policy 'picky': no such field: x",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    conn.updateServiceConfig(
                        "{\"loadBalancingConfig\": [{\"picky\": {\"x\": 1}}]}"))
            .getMessage());
    assertEquals(List.of("pick_first ACTIVE"), balancers(conn), "nothing changed");
  }

  @Test
  void undeployedPolicyKeepsTheCurrentBalancerUntilItArrives() {
    ClientConnImpl conn = f.readyChannel();
    conn.updateServiceConfig("{\"loadBalancingConfig\": [{\"weighted\": {}}]}");
    ChannelWiring.Component balancer = conn.describeWiring().balancer();
    assertEquals("pick_first", balancer.name());
    assertEquals(ChannelWiring.State.LOST, balancer.state());
    assertTrue(
        balancer
            .detail()
            .startsWith(
                "no balancing policy deployed among [weighted] (deployed: [pick_first, round_robin]): "
                    + "register a BalancerProvider for 'weighted' in the BalancerRegistry in use; keeps "
                    + "serving until a listed policy is deployed"),
        balancer.detail());
    assertFalse(ChannelFixture.startCall(conn, CallOptions.DEFAULT).isClosed(), "still serving");

    f.balancers.register(new TestRoundRobinBalancer.Provider("weighted", "1.0"));
    assertEquals(List.of("pick_first ACTIVE", "weighted PENDING"), balancers(conn));
    f.transport.last().ready();
    assertEquals(List.of("weighted ACTIVE"), balancers(conn));
  }

  @Test
  void closedChannelRefuses() {
    ClientConnImpl conn = f.readyChannel();
    conn.close();
    assertThrows(IllegalStateException.class, () -> conn.updateServiceConfig(ROUND_ROBIN));
    assertEquals(
        Status.Code.CANCELLED,
        ChannelFixture.startCall(conn, CallOptions.DEFAULT).status().getCode());
  }

  /** Rejects configs naming any field. */
  private static final class PickyProvider implements BalancerProvider {
    @Override
    public String name() {
      return "picky";
    }

    @Override
    public Balancer newBalancer(BalancerConn conn) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ConfigOrError parseConfig(Map<String, ?> rawConfig) {
      return rawConfig.isEmpty()
          ? ConfigOrError.fromConfig("ok")
          : ConfigOrError.fromError(
              Status.INVALID_ARGUMENT.withDescription(
                  "no such field: " + rawConfig.keySet().iterator().next()));
    }
  }
}
