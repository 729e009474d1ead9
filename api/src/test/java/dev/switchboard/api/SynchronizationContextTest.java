package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SynchronizationContextTest {
  private final List<Throwable> errors = new ArrayList<>();
  private final SynchronizationContext ctx = new SynchronizationContext((t, e) -> errors.add(e));

  @AfterEach
  void noUnexpectedErrors() {
    assertTrue(errors.isEmpty(), () -> "uncaught: " + errors);
  }

  @Test
  void tasksQueuedFromATaskRunAfterIt() {
    List<String> order = new ArrayList<>();
    ctx.execute(
        () -> {
          order.add("a-start");
          ctx.execute(() -> order.add("b"));
          order.add("a-end");
        });
    assertEquals(List.of("a-start", "a-end", "b"), order);
  }

  @Test
  void executeLaterRunsOnlyOnDrain() {
    AtomicInteger runs = new AtomicInteger();
    ctx.executeLater(runs::incrementAndGet);
    assertEquals(0, runs.get());
    ctx.drain();
    assertEquals(1, runs.get());
  }

  @Test
  void throwingTaskIsReportedAndLaterTasksRun() {
    AtomicInteger runs = new AtomicInteger();
    ctx.executeLater(
        () -> {
          throw new IllegalStateException("boom");
        });
    ctx.executeLater(runs::incrementAndGet);
    ctx.drain();
    assertEquals(1, runs.get());
    assertEquals(1, errors.size());
    errors.clear();
  }

  @Test
  void inContextCheck() {
    assertThrows(IllegalStateException.class, ctx::throwIfNotInThisSynchronizationContext);
    AtomicInteger ok = new AtomicInteger();
    ctx.execute(
        () -> {
          ctx.throwIfNotInThisSynchronizationContext();
          ok.incrementAndGet();
        });
    assertEquals(1, ok.get());
  }

  @Test
  void neverRunsTwoTasksAtOnce() throws Exception {
    int threads = 4;
    int perThread = 20_000;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    int[] counter = {0}; // only touched in ctx
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  ctx.execute(
                      () -> {
                        if (inside.incrementAndGet() != 1) {
                          overlaps.incrementAndGet();
                        }
                        counter[0]++;
                        inside.decrementAndGet();
                      });
                }
                done.countDown();
              })
          .start();
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    ctx.execute(() -> {}); // ensure drained
    assertEquals(0, overlaps.get());
    int[] seen = new int[1];
    ctx.execute(() -> seen[0] = counter[0]);
    assertEquals(threads * perThread, seen[0]);
  }

  @Test
  void cancelledScheduledTaskDoesNotRun() throws Exception {
    ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);
    try {
      AtomicInteger runs = new AtomicInteger();
      SynchronizationContext.ScheduledHandle[] handle =
          new SynchronizationContext.ScheduledHandle[1];
      ctx.execute(() -> handle[0] = ctx.schedule(runs::incrementAndGet, 1, TimeUnit.HOURS, timer));
      ctx.execute(
          () -> {
            assertTrue(handle[0].isPending());
            handle[0].cancel();
            assertFalse(handle[0].isPending());
          });
      CountDownLatch ran = new CountDownLatch(1);
      ctx.execute(() -> ctx.schedule(ran::countDown, 0, TimeUnit.NANOSECONDS, timer));
      assertTrue(ran.await(10, TimeUnit.SECONDS));
      assertEquals(0, runs.get());
    } finally {
      timer.shutdownNow();
    }
  }
}
