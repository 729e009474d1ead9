package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PingEnforcerTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private long now = 1_000_000;
  private final PingEnforcer enforcer = new PingEnforcer(5 * MINUTE, false, () -> now);

  @Test
  void thirdStrikeTooSoonIsTooMany() {
    assertFalse(enforcer.pingReceived(true), "the first ping is fine");
    assertFalse(enforcer.pingReceived(true), "strike 1");
    assertFalse(enforcer.pingReceived(true), "strike 2");
    assertTrue(enforcer.pingReceived(true), "strike 3");
  }

  @Test
  void pingsAtThePermittedIntervalNeverStrike() {
    for (int i = 0; i < 100; i++) {
      assertFalse(enforcer.pingReceived(true));
      now += 5 * MINUTE;
    }
  }

  @Test
  void headersOrDataSentClearTheStrikes() {
    for (int i = 0; i < 100; i++) {
      assertFalse(enforcer.pingReceived(true));
      assertFalse(enforcer.pingReceived(true));
      enforcer.reset();
    }
  }

  @Test
  void withoutCallsPingsMustBeTwoHoursApartUnlessPermitted() {
    assertFalse(enforcer.pingReceived(false));
    now += 10 * MINUTE;
    assertFalse(enforcer.pingReceived(false), "strike 1");
    now += 10 * MINUTE;
    assertFalse(enforcer.pingReceived(false), "strike 2");
    now += 10 * MINUTE;
    assertTrue(enforcer.pingReceived(false), "strike 3");

    PingEnforcer permissive = new PingEnforcer(5 * MINUTE, true, () -> now);
    for (int i = 0; i < 10; i++) {
      assertFalse(permissive.pingReceived(false));
      now += 5 * MINUTE;
    }
    now += PingEnforcer.IDLE_PING_INTERVAL_NANOS;
    assertFalse(enforcer.pingReceived(false), "two hours later the ping is fine again");
  }
}
