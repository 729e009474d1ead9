package dev.switchboard.server.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide defaults shared by every server: the handler pool and the deadline timer. Both use
 * daemon threads, created on demand, and are never shut down.
 */
final class SharedResources {
  private SharedResources() {}

  private static final class ExecutorHolder {
    static final ExecutorService EXECUTOR =
        Executors.newCachedThreadPool(daemonThreads("switchboard-server-"));
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

  /** The cached pool of daemon threads {@code switchboard-server-N} for handler callbacks. */
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
