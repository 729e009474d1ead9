package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.BackoffConfig;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final double NO_JITTER = 0.5; // maps to a zero offset

  @Test
  void defaultSequenceGrowsByMultiplier() {
    Backoff backoff = new Backoff(BackoffConfig.DEFAULT, () -> NO_JITTER);
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1000), backoff.nextBackoffNanos());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1600), backoff.nextBackoffNanos());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(2560), backoff.nextBackoffNanos());
    assertEquals(TimeUnit.MICROSECONDS.toNanos(4096_000), backoff.nextBackoffNanos());
  }

  @Test
  void sequenceIsCappedAtMaxDelay() {
    Backoff backoff = new Backoff(BackoffConfig.DEFAULT, () -> NO_JITTER);
    long last = 0;
    for (int i = 0; i < 30; i++) {
      last = backoff.nextBackoffNanos();
      assertTrue(last <= TimeUnit.SECONDS.toNanos(120), "delay " + i + " = " + last);
    }
    assertEquals(TimeUnit.SECONDS.toNanos(120), last);
  }

  @Test
  void jitterStaysWithinTwentyPercent() {
    Random random = new Random(42);
    Backoff jittered = new Backoff(BackoffConfig.DEFAULT, random::nextDouble);
    Backoff plain = new Backoff(BackoffConfig.DEFAULT, () -> NO_JITTER);
    boolean sawBelow = false;
    boolean sawAbove = false;
    for (int i = 0; i < 200; i++) {
      long expected = plain.nextBackoffNanos();
      long actual = jittered.nextBackoffNanos();
      assertTrue(
          actual >= expected * 0.8 && actual <= expected * 1.2,
          "attempt " + i + ": " + actual + " vs " + expected);
      sawBelow |= actual < expected;
      sawAbove |= actual > expected;
    }
    assertTrue(sawBelow && sawAbove, "jitter goes both ways");
  }

  @Test
  void extremeRandomValuesHitTheJitterBounds() {
    Backoff low = new Backoff(BackoffConfig.DEFAULT, () -> 0.0);
    Backoff high = new Backoff(BackoffConfig.DEFAULT, () -> 0.9999999);
    assertEquals(TimeUnit.MILLISECONDS.toNanos(800), low.nextBackoffNanos());
    long h = high.nextBackoffNanos();
    assertTrue(h > TimeUnit.MILLISECONDS.toNanos(1199) && h <= TimeUnit.MILLISECONDS.toNanos(1200));
  }

  @Test
  void resetStartsOverAtBaseDelay() {
    Backoff backoff = new Backoff(BackoffConfig.DEFAULT, () -> NO_JITTER);
    for (int i = 0; i < 5; i++) {
      backoff.nextBackoffNanos();
    }
    backoff.reset();
    assertEquals(TimeUnit.SECONDS.toNanos(1), backoff.nextBackoffNanos());
  }

  @Test
  void customConfigIsHonoured() {
    BackoffConfig config =
        new BackoffConfig(
            Duration.ofMillis(100), 2.0, 0.0, Duration.ofMillis(350), Duration.ofSeconds(5));
    Backoff backoff = new Backoff(config, new Random(1)::nextDouble);
    assertEquals(TimeUnit.MILLISECONDS.toNanos(100), backoff.nextBackoffNanos());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(200), backoff.nextBackoffNanos());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(350), backoff.nextBackoffNanos());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(350), backoff.nextBackoffNanos());
    assertEquals(TimeUnit.SECONDS.toNanos(5), backoff.minConnectTimeoutNanos());
  }
}
