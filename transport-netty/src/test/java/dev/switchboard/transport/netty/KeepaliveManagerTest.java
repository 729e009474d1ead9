package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.FakeClock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The keepalive rules on fake time. */
class KeepaliveManagerTest {
  private static final long TIME = TimeUnit.SECONDS.toNanos(10);
  private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(2);

  private final FakeClock clock = new FakeClock();
  private int pings;
  private int timeouts;
  private final KeepaliveManager.Pinger pinger =
      new KeepaliveManager.Pinger() {
        @Override
        public void ping() {
          pings++;
        }

        @Override
        public void pingTimedOut() {
          timeouts++;
        }
      };

  private KeepaliveManager manager(boolean withoutCalls) {
    return new KeepaliveManager(
        pinger,
        clock.scheduledExecutor(),
        clock::nanoTime,
        new KeepaliveSettings(TIME, TIMEOUT, withoutCalls));
  }

  private void forward(long nanos) {
    clock.forwardTime(nanos, TimeUnit.NANOSECONDS);
  }

  @Test
  void silentPeerIsPingedAfterTheTimeAndDeclaredDeadAfterTheTimeout() {
    KeepaliveManager m = manager(true);
    m.start();
    forward(TIME - 1);
    assertEquals(0, pings, "no ping before the keepalive time");
    forward(1);
    assertEquals(1, pings);
    forward(TIMEOUT - 1);
    assertEquals(0, timeouts, "not dead before the timeout");
    forward(1);
    assertEquals(1, timeouts, "dead after time + timeout of silence");
    forward(10 * TIME);
    assertEquals(1, pings, "nothing more once dead");
    assertEquals(1, timeouts);
    assertEquals(0, clock.numScheduledTasks());
  }

  @Test
  void readsPostponeThePing() {
    KeepaliveManager m = manager(true);
    m.start();
    for (int i = 0; i < 10; i++) {
      forward(TIME / 2);
      m.onRead();
    }
    assertEquals(0, pings, "a connection that reads is never pinged");
    forward(TIME);
    assertEquals(1, pings, "pinged once silent for the keepalive time after the last read");
  }

  @Test
  void anyReadAfterThePingKeepsTheConnectionAndPingsAgainLater() {
    KeepaliveManager m = manager(true);
    m.start();
    forward(TIME);
    assertEquals(1, pings);
    forward(TIMEOUT - 1);
    m.onRead(); // the ack, or any frame
    forward(TIMEOUT);
    assertEquals(0, timeouts);
    forward(TIME - TIMEOUT);
    assertEquals(2, pings, "the next ping comes the keepalive time after the read");
    m.onRead();
    forward(TIME - 1);
    assertEquals(2, pings);
    assertEquals(0, timeouts);
  }

  @Test
  void withoutCallsNotPermittedPingsOnlyWhileCallsAreOpen() {
    KeepaliveManager m = manager(false);
    m.start();
    forward(10 * TIME);
    assertEquals(0, pings, "no call: no ping");
    m.callsStarted();
    forward(TIME);
    assertEquals(1, pings);
    m.onRead();
    m.callsEnded();
    forward(10 * TIME);
    assertEquals(1, pings, "the calls ended: no more pings");
    assertEquals(0, clock.numScheduledTasks());
  }

  @Test
  void callsOpenedBeforeStartWaitForStart() {
    KeepaliveManager m = manager(false);
    m.callsStarted();
    forward(10 * TIME);
    assertEquals(0, pings, "not started: no ping");
    m.start();
    forward(TIME);
    assertEquals(1, pings);
  }

  @Test
  void pingSentThenIdleStillTimesOutWithoutAnswer() {
    KeepaliveManager m = manager(false);
    m.start();
    m.callsStarted();
    forward(TIME);
    m.callsEnded();
    forward(TIMEOUT);
    assertEquals(1, timeouts, "a ping sent must still be answered");
  }

  @Test
  void pingSentThenIdleAndAnsweredStopsPinging() {
    KeepaliveManager m = manager(false);
    m.start();
    m.callsStarted();
    forward(TIME);
    m.callsEnded();
    m.onRead();
    forward(10 * TIME);
    assertEquals(1, pings);
    assertEquals(0, timeouts);
    m.callsStarted();
    forward(TIME);
    assertEquals(2, pings, "pinging again once a call opens");
  }

  @Test
  void idleWithPingSentThenCallsAgainKeepsWaitingForTheAnswer() {
    KeepaliveManager m = manager(false);
    m.start();
    m.callsStarted();
    forward(TIME);
    m.callsEnded();
    m.callsStarted();
    forward(TIMEOUT);
    assertEquals(1, timeouts);
  }

  @Test
  void stopCancelsEverything() {
    KeepaliveManager m = manager(true);
    m.start();
    forward(TIME);
    m.stop();
    forward(10 * TIME);
    assertEquals(0, timeouts);
    assertEquals(0, clock.numScheduledTasks());
    m.start();
    m.callsStarted();
    forward(10 * TIME);
    assertEquals(1, pings, "a stopped manager stays stopped");
  }
}
