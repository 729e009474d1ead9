package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamGateTest {
  private final StreamGate gate = new StreamGate(null);
  private final AtomicInteger shutdowns = new AtomicInteger();

  @Test
  void closeWhileNobodyIsInsideRunsAtOnce() {
    gate.close(shutdowns::incrementAndGet);
    assertEquals(1, shutdowns.get());
    assertFalse(gate.tryEnter());
  }

  @Test
  void closeWaitsForTheLastOneOut() {
    assertTrue(gate.tryEnter());
    assertTrue(gate.tryEnter());
    gate.close(shutdowns::incrementAndGet);
    assertFalse(gate.tryEnter(), "closed to newcomers at once");
    gate.exit();
    assertEquals(0, shutdowns.get());
    gate.exit();
    assertEquals(1, shutdowns.get());
  }

  @Test
  void aSecondCloseWithTheActionRunsItOnce() {
    assertTrue(gate.tryEnter());
    gate.close(null); // the transport reported shutdown itself
    gate.close(shutdowns::incrementAndGet); // the channel's own shutdown follows
    gate.exit();
    gate.close(shutdowns::incrementAndGet);
    assertEquals(1, shutdowns.get());
  }

  @Test
  void concurrentPicksAndCloseRunTheActionExactlyOnceAfterEveryone() throws Exception {
    for (int round = 0; round < 200; round++) {
      StreamGate g = new StreamGate(null);
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger ranWithSomeoneInside = new AtomicInteger();
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(4);
      for (int t = 0; t < 4; t++) {
        new Thread(
                () -> {
                  try {
                    go.await();
                    for (int i = 0; i < 100; i++) {
                      if (g.tryEnter()) {
                        inside.incrementAndGet();
                        inside.decrementAndGet();
                        g.exit();
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    done.countDown();
                  }
                })
            .start();
      }
      go.countDown();
      g.close(
          () -> {
            if (inside.get() != 0) {
              ranWithSomeoneInside.incrementAndGet();
            }
            ran.incrementAndGet();
          });
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(1, ran.get());
      assertEquals(0, ranWithSomeoneInside.get());
    }
  }
}
