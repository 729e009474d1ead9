package dev.switchboard.api.channelz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CallCountersTest {
  private final ManualClock clock = new ManualClock(1_000);
  private final CallCounters counters = new CallCounters(clock);

  @Test
  void countsStartsAndEndsByStatus() {
    assertEquals(CallStats.NONE, counters.snapshot());
    counters.callStarted();
    counters.callStarted();
    counters.callStarted();
    counters.callEnded(true);
    counters.callEnded(false);
    assertEquals(new CallStats(3, 1, 1, 1_000), counters.snapshot());
  }

  @Test
  void lastStartedIsTheLatestStart() {
    counters.callStarted();
    clock.set(5_000);
    counters.callStarted();
    assertEquals(5_000, counters.snapshot().lastStartedMillis());
    counters.callEnded(true); // ends do not move it
    clock.set(9_000);
    counters.callEnded(true);
    assertEquals(5_000, counters.snapshot().lastStartedMillis());
  }

  @Test
  void statsAddUp() {
    CallStats a = new CallStats(3, 2, 1, 10);
    CallStats b = new CallStats(4, 1, 2, 7);
    assertEquals(new CallStats(7, 3, 3, 10), a.plus(b));
    assertEquals(a, a.plus(CallStats.NONE));
  }
}
