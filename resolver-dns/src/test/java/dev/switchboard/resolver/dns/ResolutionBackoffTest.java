package dev.switchboard.resolver.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.BackoffConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResolutionBackoffTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void growsByTheMultiplierUpToTheCapWithoutJitter() {
    ResolutionBackoff backoff =
        new ResolutionBackoff(
            new BackoffConfig(
                Duration.ofSeconds(1), 1.6, 0, Duration.ofSeconds(120), Duration.ofSeconds(20)),
            () -> 0.9);

    assertEquals(SECOND, backoff.nextDelayNanos());
    assertEquals(1_600_000_000L, backoff.nextDelayNanos());
    assertEquals(2_560_000_000L, backoff.nextDelayNanos());
    long last = 0;
    for (int i = 0; i < 20; i++) {
      last = backoff.nextDelayNanos();
    }
    assertEquals(120 * SECOND, last);
  }

  @Test
  void defaultJitterStaysWithinTwentyPercent() {
    ResolutionBackoff low = new ResolutionBackoff(BackoffConfig.DEFAULT, () -> 0.0);
    ResolutionBackoff high = new ResolutionBackoff(BackoffConfig.DEFAULT, () -> 0.999_999);

    assertEquals(800_000_000L, low.nextDelayNanos());
    long highDelay = high.nextDelayNanos();
    assertTrue(highDelay > 1_199_000_000L && highDelay < 1_200_000_000L, "was " + highDelay);
  }

  @Test
  void resetStartsOverAtTheBaseDelay() {
    ResolutionBackoff backoff = new ResolutionBackoff(BackoffConfig.DEFAULT, () -> 0.5);
    backoff.nextDelayNanos();
    backoff.nextDelayNanos();

    backoff.reset();

    assertEquals(SECOND, backoff.nextDelayNanos());
  }
}
