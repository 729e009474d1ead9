package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShardedTimerTest {
  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Test
  void sequentialThreadIdsSpreadOverEveryShard() {
    int[] perShard = new int[4];
    for (long id = 1; id <= 64; id++) {
      perShard[ShardedTimer.shardIndex(id, 4)]++;
    }
    for (int count : perShard) {
      assertTrue(count >= 8, java.util.Arrays.toString(perShard));
    }
    assertEquals(0, ShardedTimer.shardIndex(12345, 1));
  }

  @Test
  void aThreadAlwaysGetsTheSameShardAndTasksRunOnIt() throws Exception {
    ShardedTimer timer = new ShardedTimer(3, daemons("test-timer-"));
    ScheduledExecutorService mine = timer.shardForCurrentThread();
    assertSame(mine, timer.shardForCurrentThread());

    CompletableFuture<String> ranOn = new CompletableFuture<>();
    timer.schedule(() -> ranOn.complete(Thread.currentThread().getName()), 0, TimeUnit.NANOSECONDS);
    assertTrue(ranOn.get(10, TimeUnit.SECONDS).startsWith("test-timer-"));
  }

  @Test
  void threadsOnDifferentShardsTakeDifferentQueues() throws Exception {
    ShardedTimer timer = new ShardedTimer(2, daemons("test-timer-"));
    ScheduledExecutorService mine = timer.shardForCurrentThread();
    // Start threads until one hashes to the other shard (ids are sequential: a few suffice).
    ScheduledExecutorService other = null;
    for (int i = 0; i < 64 && other == null; i++) {
      CompletableFuture<ScheduledExecutorService> theirs = new CompletableFuture<>();
      Thread t = new Thread(() -> theirs.complete(timer.shardForCurrentThread()));
      t.start();
      t.join();
      ScheduledExecutorService s = theirs.get();
      if (s != mine) {
        other = s;
      }
    }
    assertNotNull(other, "no thread hashed to the second shard");
    assertNotSame(mine, other);
  }

  @Test
  void cancelledTimersLeaveTheirShardsQueue() {
    ShardedTimer timer = new ShardedTimer(2, daemons("test-timer-"));
    ScheduledThreadPoolExecutor shard = (ScheduledThreadPoolExecutor) timer.shardForCurrentThread();
    ScheduledFuture<?> deadline = timer.schedule(() -> {}, 1, TimeUnit.HOURS);
    assertEquals(1, shard.getQueue().size());
    assertTrue(deadline.cancel(false));
    assertEquals(0, shard.getQueue().size(), "removed at once, not kept until the hour passes");
  }

  @Test
  void neverShutDown() {
    ShardedTimer timer = new ShardedTimer(1, daemons("test-timer-"));
    assertThrows(UnsupportedOperationException.class, timer::shutdown);
    assertThrows(UnsupportedOperationException.class, timer::shutdownNow);
    assertFalse(timer.isShutdown());
    assertThrows(IllegalArgumentException.class, () -> new ShardedTimer(0, daemons("x")));
  }
}
