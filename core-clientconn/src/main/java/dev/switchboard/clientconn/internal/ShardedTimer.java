package dev.switchboard.clientconn.internal;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The channels' shared timer, split into shards so that no lock is shared by all calls: each shard
 * is a one-thread {@link ScheduledThreadPoolExecutor} (whose queue has a lock of its own), and a
 * task goes to the shard of the thread that schedules it. Calls' deadline, retry and hedging timers
 * are scheduled on the thread that starts the call or its attempt, so threads making calls at the
 * same time mostly use different shards; a timer is cancelled through its own future, on its own
 * shard. Shards start on first use.
 *
 * <p>Never shut down (daemon threads; {@link #shutdown} and {@link #shutdownNow} are refused, as
 * for any shared resource).
 */
final class ShardedTimer extends AbstractExecutorService implements ScheduledExecutorService {
  private final ScheduledThreadPoolExecutor[] shards;

  /**
   * @param shardCount how many shards (threads), at least 1
   * @param threads makes the shards' daemon threads
   */
  ShardedTimer(int shardCount, ThreadFactory threads) {
    if (shardCount < 1) {
      throw new IllegalArgumentException("shardCount " + shardCount);
    }
    shards = new ScheduledThreadPoolExecutor[shardCount];
    for (int i = 0; i < shardCount; i++) {
      ScheduledThreadPoolExecutor shard = new ScheduledThreadPoolExecutor(1, threads);
      shard.setRemoveOnCancelPolicy(true); // most timers are cancelled: their call ended first
      shards[i] = shard;
    }
  }

  /** {@return the shard for the calling thread} */
  ScheduledExecutorService shardForCurrentThread() {
    return shards[shardIndex(Thread.currentThread().getId(), shards.length)];
  }

  static int shardIndex(long threadId, int shardCount) {
    // Thread ids are sequential: a multiplicative hash spreads neighbours over the shards.
    return (int) Long.remainderUnsigned(threadId * 0x9E3779B97F4A7C15L >>> 16, shardCount);
  }

  int shardCount() {
    return shards.length;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return shardForCurrentThread().schedule(command, delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return shardForCurrentThread().schedule(callable, delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return shardForCurrentThread().scheduleAtFixedRate(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return shardForCurrentThread().scheduleWithFixedDelay(command, initialDelay, delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    shardForCurrentThread().execute(command);
  }

  @Override
  public void shutdown() {
    throw new UnsupportedOperationException("the shared timer is never shut down");
  }

  @Override
  public List<Runnable> shutdownNow() {
    throw new UnsupportedOperationException("the shared timer is never shut down");
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }
}
