package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.ServerKeepalive;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** From the api settings to a connection's: the minimum, the back-off, "infinite". */
class KeepaliveSettingsTest {
  private static final long MIN = ClientKeepalive.MIN_TIME.toNanos();

  @Test
  void clientKeepaliveIsOffByDefault() {
    assertFalse(
        KeepaliveSettings.forClient(ClientKeepalive.DISABLED, MIN, new KeepaliveBackoff())
            .enabled());
  }

  @Test
  void clientTimeIsRaisedToTheMinimum() {
    KeepaliveSettings s =
        KeepaliveSettings.forClient(
            ClientKeepalive.ofTime(Duration.ofSeconds(1)), MIN, new KeepaliveBackoff());
    assertEquals(TimeUnit.SECONDS.toNanos(10), s.timeNanos());
    assertEquals(TimeUnit.SECONDS.toNanos(20), s.timeoutNanos());
    assertFalse(s.withoutCalls());
  }

  @Test
  void tooManyPingsDoublesTheTimeOfLaterConnectionsOnce() {
    KeepaliveBackoff backoff = new KeepaliveBackoff();
    ClientKeepalive keepalive =
        ClientKeepalive.newBuilder()
            .time(Duration.ofSeconds(30))
            .timeout(Duration.ofSeconds(5))
            .permitWithoutCalls(true)
            .build();
    KeepaliveSettings first = KeepaliveSettings.forClient(keepalive, MIN, backoff);
    assertEquals(TimeUnit.SECONDS.toNanos(30), first.timeNanos());
    assertTrue(first.withoutCalls());
    backoff.tooManyPings(first.timeNanos());
    backoff.tooManyPings(first.timeNanos()); // a second connection with the same time
    KeepaliveSettings second = KeepaliveSettings.forClient(keepalive, MIN, backoff);
    assertEquals(TimeUnit.SECONDS.toNanos(60), second.timeNanos());
    backoff.tooManyPings(second.timeNanos());
    assertEquals(
        TimeUnit.SECONDS.toNanos(120),
        KeepaliveSettings.forClient(keepalive, MIN, backoff).timeNanos());
    backoff.tooManyPings(Long.MAX_VALUE - 1);
    assertEquals(Long.MAX_VALUE, backoff.timeNanos(1), "saturates");
  }

  @Test
  void serverDefaultsAndInfinite() {
    KeepaliveSettings s = KeepaliveSettings.forServer(ServerKeepalive.DEFAULT);
    assertEquals(TimeUnit.HOURS.toNanos(2), s.timeNanos());
    assertEquals(TimeUnit.SECONDS.toNanos(20), s.timeoutNanos());
    assertTrue(s.withoutCalls(), "servers ping whether calls are open or not");
    assertFalse(
        KeepaliveSettings.forServer(
                ServerKeepalive.newBuilder().time(ServerKeepalive.INFINITE).build())
            .enabled());
    assertEquals(Long.MAX_VALUE, KeepaliveSettings.nanos(Duration.ofDays(365L * 1000)));
  }
}
