package dev.switchboard.api.channelz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SocketCountersTest {
  private final ManualClock clock = new ManualClock(1_000);
  private final SocketCounters counters = new SocketCounters(clock);

  @Test
  void countsStreamsMessagesAndKeepalives() {
    counters.localStreamStarted();
    counters.localStreamStarted();
    counters.remoteStreamStarted();
    counters.streamEnded(true, true);
    counters.streamEnded(true, false); // trailers with an error status: stream ok, call failed
    counters.streamEnded(false, false); // reset
    counters.messageSent();
    counters.messageReceived();
    counters.messageReceived();
    counters.keepAliveSent();
    SocketCounters.Snapshot s = counters.snapshot();
    assertEquals(3, s.streamsStarted());
    assertEquals(2, s.streamsSucceeded());
    assertEquals(1, s.streamsFailed());
    assertEquals(1, s.callsSucceeded());
    assertEquals(2, s.callsFailed());
    assertEquals(1, s.messagesSent());
    assertEquals(2, s.messagesReceived());
    assertEquals(1, s.keepAlivesSent());
    assertEquals(new CallStats(2, 1, 2, 0), s.calls(true));
    assertEquals(new CallStats(1, 1, 2, 0), s.calls(false));
  }

  @Test
  void countingReadsNoClockAndStampSetsTheTimesOfWhatWasCounted() {
    counters.localStreamStarted();
    counters.messageSent();
    assertEquals(0, clock.reads());
    assertEquals(0, counters.snapshot().lastLocalStreamMillis()); // not stamped yet

    counters.stamp();
    assertEquals(1, clock.reads());
    SocketCounters.Snapshot s = counters.snapshot();
    assertEquals(1_000, s.lastLocalStreamMillis());
    assertEquals(1_000, s.lastMessageSentMillis());
    assertEquals(0, s.lastRemoteStreamMillis());
    assertEquals(0, s.lastMessageReceivedMillis());

    clock.set(2_000);
    counters.stamp(); // nothing new: no clock read, times kept
    assertEquals(1, clock.reads());
    assertEquals(1_000, counters.snapshot().lastMessageSentMillis());

    counters.messageReceived();
    counters.stamp();
    s = counters.snapshot();
    assertEquals(2, clock.reads());
    assertEquals(2_000, s.lastMessageReceivedMillis());
    assertEquals(1_000, s.lastMessageSentMillis()); // only what was counted moves
    assertEquals(1_000, s.lastLocalStreamMillis());
  }
}
