package dev.switchboard.server.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide defaults shared by every server: the handler pool and the deadline timer (for
 * transports whose streams have no {@code scheduler()} of their own; Netty's use their event loop).
 * Both use daemon threads, created on demand, and are never shut down.
 */
final class SharedResources {
  private SharedResources() {}

  private static final class ExecutorHolder {
    static final ExecutorService EXECUTOR = newExecutor();

    /**
     * A work-stealing pool of one daemon thread per core, in FIFO (async) mode: a call's tasks are
     * short and handed over from the event loops, and idle workers spin briefly before parking, so
     * a hand-off seldom costs a thread wake-up (measured in benchmarks/README.md against a cached
     * pool: 3-4 times the unary throughput on one core). Blocking in a handler holds one of these
     * threads; {@code ForkJoinPool.managedBlock} (which Switchboard's blocking stubs use) lets the
     * pool add a thread meanwhile.
     */
    private static ExecutorService newExecutor() {
      AtomicInteger count = new AtomicInteger();
      return new ForkJoinPool(
          Runtime.getRuntime().availableProcessors(),
          pool -> {
            ForkJoinWorkerThread t =
                ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("switchboard-server-" + count.incrementAndGet());
            return t;
          },
          null,
          true);
    }
  }

  private static final class TimerHolder {
    static final ScheduledExecutorService TIMER = newTimer();

    private static ScheduledExecutorService newTimer() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, daemonThreads("switchboard-server-timer-"));
      // Most deadline timers are cancelled because the call finished first.
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }

  /**
   * The work-stealing pool of daemon threads {@code switchboard-server-N} for handler callbacks.
   */
  static ExecutorService executor() {
    return ExecutorHolder.EXECUTOR;
  }

  /** The single daemon thread that fires call deadlines. */
  static ScheduledExecutorService timer() {
    return TimerHolder.TIMER;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
