package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The estimator on fake time: when it pings, when and how far the window grows. */
class BdpEstimatorTest {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;
  private static final long RTT = TimeUnit.MILLISECONDS.toNanos(50);

  private long now = 1_000_000;

  /**
   * One measurement: {@code bytes} arrive in 16 KiB frames within one round trip, after the pause
   * that follows a sample which did not grow the window.
   */
  private int measure(BdpEstimator e, long bytes) {
    int frame = (int) Math.min(16 * KIB, bytes);
    long paused = 0;
    while (!e.dataReceived(frame)) {
      paused += frame;
      assertTrue(paused <= e.window() / BdpEstimator.PAUSE_DIVISOR, "paused " + paused);
    }
    e.pingSent(now);
    for (long left = bytes - frame; left > 0; left -= 16 * KIB) {
      assertFalse(e.dataReceived((int) Math.min(16 * KIB, left)), "one PING at a time");
    }
    now += RTT;
    return e.pingAcked(now);
  }

  @Test
  void aSampleFillingTheWindowDoublesIt() {
    BdpEstimator e = new BdpEstimator(64 * KIB, 16 * MIB);
    assertEquals(128 * KIB, measure(e, 64 * KIB));
    assertEquals(128 * KIB, e.window());
    assertFalse(e.pinging());
  }

  @Test
  void aSampleBelowTwoThirdsOfTheWindowKeepsIt() {
    BdpEstimator e = new BdpEstimator(MIB, 16 * MIB);
    assertEquals(0, measure(e, 600 * KIB), "600 KiB < 2/3 of 1 MiB");
    assertEquals(MIB, e.window());
    assertEquals(2 * 700 * KIB, measure(e, 700 * KIB), "700 KiB >= 2/3 of 1 MiB");
  }

  @Test
  void noGrowthWithoutMoreBandwidth() {
    BdpEstimator e = new BdpEstimator(64 * KIB, 16 * MIB);
    assertEquals(128 * KIB, measure(e, 64 * KIB));
    // The same bytes in a round trip twice as long: the bigger window did not help.
    int frame = 16 * KIB;
    assertTrue(e.dataReceived(frame));
    e.pingSent(now);
    assertFalse(e.dataReceived(112 * KIB));
    now += 2 * RTT;
    assertEquals(0, e.pingAcked(now));
    assertEquals(128 * KIB, e.window());
  }

  @Test
  void growthConvergesToTwiceTheLinksProduct() {
    long bdp = 3L * MIB; // what the link carries per round trip
    BdpEstimator e = new BdpEstimator(64 * KIB, 16 * MIB);
    for (int round = 0; round < 20; round++) {
      measure(e, Math.min(e.window(), bdp));
    }
    // 64K, 128K, ... 2M, 4M (the 2 MiB sample filled 2M), then the 3 MiB sample fills 2/3 of 4M:
    // 6M; a 3 MiB sample no longer fills 2/3 of 6 MiB.
    assertEquals(6 * MIB, e.window());
  }

  @Test
  void growthStopsAtTheMaximumAndSoDoPings() {
    BdpEstimator e = new BdpEstimator(MIB, 3 * MIB);
    assertEquals(2 * MIB, measure(e, MIB));
    assertEquals(3 * MIB, measure(e, 2 * MIB), "4 MiB capped at 3");
    assertFalse(e.dataReceived(16 * KIB), "at the maximum: no more PINGs");
    assertFalse(e.pinging());
  }

  @Test
  void aMaximumBelowTheInitialWindowNeverPings() {
    BdpEstimator e = new BdpEstimator(4 * MIB, MIB);
    assertFalse(e.dataReceived(16 * KIB));
    assertEquals(4 * MIB, e.window());
  }

  @Test
  void anAcknowledgementWithoutAPingChangesNothing() {
    BdpEstimator e = new BdpEstimator(64 * KIB, 16 * MIB);
    assertEquals(0, e.pingAcked(now));
    assertEquals(128 * KIB, measure(e, 64 * KIB));
    assertEquals(0, e.pingAcked(now + RTT), "a duplicate acknowledgement");
  }

  @Test
  void aSampleThatDoesNotGrowTheWindowPausesAQuarterOfIt() {
    BdpEstimator e = new BdpEstimator(MIB, 16 * MIB);
    assertEquals(0, measure(e, 600 * KIB));
    for (int i = 0; i < 16; i++) {
      assertFalse(e.dataReceived(16 * KIB), "256 KiB unsampled, frame " + i);
    }
    assertTrue(e.dataReceived(16 * KIB), "then the next sample starts");
  }

  @Test
  void aSampleThatGrowsTheWindowDoesNotPause() {
    BdpEstimator e = new BdpEstimator(64 * KIB, 16 * MIB);
    assertEquals(128 * KIB, measure(e, 64 * KIB));
    assertTrue(e.dataReceived(16 * KIB), "growth goes on every round trip");
  }

  @Test
  void smallCallsCostRarePings() {
    BdpEstimator e = new BdpEstimator(MIB, 16 * MIB);
    int pings = 0;
    for (int call = 0; call < 1_000_000; call++) {
      if (e.dataReceived(5)) { // one empty unary call: a 5-byte message prefix
        pings++;
        e.pingSent(now);
        now += RTT;
        assertEquals(0, e.pingAcked(now));
      }
    }
    // 5 MB at one sample per 256 KiB: 20 PINGs, where every read used to send one.
    assertTrue(pings <= 20, pings + " PINGs");
  }

  @Test
  void aZeroRoundTripDoesNotDivideByZero() {
    BdpEstimator e = new BdpEstimator(64 * KIB, 16 * MIB);
    assertTrue(e.dataReceived(64 * KIB));
    e.pingSent(now);
    assertEquals(128 * KIB, e.pingAcked(now));
  }
}
