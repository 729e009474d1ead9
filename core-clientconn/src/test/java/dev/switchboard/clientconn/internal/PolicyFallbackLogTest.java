package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.ChannelFixture.RR_THEN_PF;
import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.CapturedLog;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A policy used because the ones listed before it are not deployed is worth one WARNING per
 * channel, naming them and how to deploy them; not one per resolution.
 */
class PolicyFallbackLogTest {
  private static final String FALLBACK =
      "fake:///svc: balancing policy round_robin not deployed; "
          + "using pick_first, listed after it (default service config). To use round_robin: "
          + "register a BalancerProvider for 'round_robin' in the BalancerRegistry in use";
  private final ChannelFixture f = new ChannelFixture();
  private final CapturedLog log = new CapturedLog(BalancerWrapper.class.getName());

  @AfterEach
  void tearDown() {
    log.close();
  }

  @Test
  void oneWarningPerChannelNotPerResolution() {
    ClientConnImpl conn =
        f.dial("fake:///svc", f.options().defaultServiceConfig(RR_THEN_PF).build());
    conn.connect();
    for (int i = 1; i <= 5; i++) {
      f.resolver.last().resolve(address(i));
    }
    assertEquals(List.of(FALLBACK), log.messages(System.Logger.Level.WARNING));

    // Another channel falling back says so too.
    ClientConnImpl other =
        f.dial("fake:///svc", f.options().defaultServiceConfig(RR_THEN_PF).build());
    other.connect();
    f.resolver.last().resolve(address(1));
    assertEquals(List.of(FALLBACK, FALLBACK), log.messages(System.Logger.Level.WARNING));
  }

  @Test
  void aNewFallbackAfterThePolicyCameAndWentIsWarnedAgain() {
    ClientConnImpl conn =
        f.dial("fake:///svc", f.options().defaultServiceConfig(RR_THEN_PF).build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    TestRoundRobinBalancer.Provider rr = new TestRoundRobinBalancer.Provider("1.0");
    f.balancers.register(rr);
    f.resolver.last().resolve(address(1));
    assertEquals(
        1, log.messages(System.Logger.Level.WARNING).size(), "round_robin is used: no fallback");

    f.balancers.deregister(rr);
    assertEquals(List.of(FALLBACK, FALLBACK), log.messages(System.Logger.Level.WARNING));
  }
}
