package dev.switchboard.clientconn.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide daemon threads shared by all channels, created on first use and never shut down
 * (daemon threads do not keep the JVM alive; a cached pool's idle threads expire after 60 s).
 *
 * <ul>
 *   <li>{@link #timer()}: threads that only fire timers (a {@link ShardedTimer}, one shard per core
 *       up to 16, so that calls made on different threads take different locks); the work itself
 *       hops into a channel's serializer, or cancels a stream.
 *   <li>{@link #callbackPool()}: call callbacks when neither the call nor the dial options name an
 *       executor: a work-stealing pool of one thread per core (callbacks are short; a hand-off to
 *       it seldom wakes a thread, unlike a cached pool's, measured in benchmarks/README.md).
 *       Blocking stubs never use it; they wait as a managed block when called on one of its
 *       threads.
 *   <li>{@link #cachedPool()}: blocking host-name lookups.
 * </ul>
 */
final class SharedExecutors {
  private SharedExecutors() {}

  private static final class TimerHolder {
    static final ScheduledExecutorService TIMER =
        new ShardedTimer(
            Math.min(16, Runtime.getRuntime().availableProcessors()),
            daemonThreads("switchboard-timer-"));
  }

  private static final class PoolHolder {
    static final ExecutorService POOL =
        Executors.newCachedThreadPool(daemonThreads("switchboard-executor-"));
  }

  private static final class CallbackHolder {
    static final ExecutorService POOL = newCallbackPool();

    private static ExecutorService newCallbackPool() {
      AtomicInteger count = new AtomicInteger();
      return new ForkJoinPool(
          Runtime.getRuntime().availableProcessors(),
          pool -> {
            ForkJoinWorkerThread t =
                ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("switchboard-callbacks-" + count.incrementAndGet());
            return t;
          },
          null,
          true);
    }
  }

  static ScheduledExecutorService timer() {
    return TimerHolder.TIMER;
  }

  static ExecutorService callbackPool() {
    return CallbackHolder.POOL;
  }

  static ExecutorService cachedPool() {
    return PoolHolder.POOL;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
