package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.api.ChannelWiring.Component;
import dev.switchboard.api.ChannelWiring.Role;
import dev.switchboard.api.ChannelWiring.State;
import org.junit.jupiter.api.Test;

class ChannelWiringTest {
  private final Component resolver =
      Component.newBuilder(Role.RESOLVER, "dns")
          .origin("bundle dev.switchboard.resolver.dns 0.1.0")
          .reason("default scheme")
          .build();
  private final Component serving =
      Component.newBuilder(Role.BALANCER, "round_robin")
          .origin("module rr")
          .reason("first available")
          .detail("serving until pick_first is READY")
          .addChild(
              Component.newBuilder(Role.BALANCER, "pick_first")
                  .origin("module pf")
                  .reason("child")
                  .build())
          .build();
  private final Component pending =
      Component.newBuilder(Role.BALANCER, "pick_first")
          .origin("module pf")
          .state(State.PENDING)
          .build();
  private final ChannelWiring wiring =
      ChannelWiring.newBuilder()
          .target("svc:443")
          .scheme("dns")
          .connectivityState(ConnectivityState.READY)
          .addComponent(resolver)
          .addComponent(serving)
          .addComponent(pending)
          .build();

  @Test
  void rendersOneLinePerComponent() {
    assertEquals(
        """
        ClientConn 'svc:443' READY, scheme dns
          resolver dns [ACTIVE] from bundle dev.switchboard.resolver.dns 0.1.0: default scheme
          balancer round_robin [ACTIVE] from module rr: first available (serving until \
        pick_first is READY)
            balancer pick_first [ACTIVE] from module pf: child
          balancer pick_first [PENDING] from module pf""",
        wiring.toString());
  }

  @Test
  void accessorsPickTheServingParts() {
    assertSame(resolver, wiring.resolver());
    assertSame(serving, wiring.balancer());
    assertEquals(2, wiring.components(Role.BALANCER).size());
    assertNull(wiring.transport());
    assertEquals(wiring, wiring.toBuilder().build());
    assertEquals(serving, serving.toBuilder().build());
  }
}
