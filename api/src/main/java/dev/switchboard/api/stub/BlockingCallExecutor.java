package dev.switchboard.api.stub;

import dev.switchboard.api.ClientStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * The callback executor of one blocking call. It owns no thread: tasks queue up until the thread
 * blocked in the call runs them in {@link #drainUntil}, so a blocking call needs no pool, and the
 * call's listener state is touched by that thread only.
 *
 * <p>{@link #execute} is thread-safe (the channel calls it from its threads); the other methods are
 * for the one blocked thread. A task that throws is logged and does not stop the others. Tasks
 * queued after the caller stopped waiting stay queued, unrun.
 */
final class BlockingCallExecutor implements Executor {
  private static final System.Logger LOG = System.getLogger(BlockingCallExecutor.class.getName());

  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  /**
   * Runs callbacks on the calling thread until {@code done} holds. If the thread is interrupted
   * meanwhile, cancels {@code call} and keeps running callbacks until {@code done} holds (the
   * cancellation closes the call, which the caller's {@code done} must account for), then sets the
   * interrupt flag again.
   */
  void drainUntil(BooleanSupplier done, ClientStream<?, ?> call) {
    boolean interrupted = false;
    try {
      while (!done.getAsBoolean()) {
        try {
          runTasks(nextTask());
        } catch (InterruptedException e) {
          if (!interrupted) {
            interrupted = true;
            call.cancel("The waiting thread was interrupted", e);
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits for a task. On a {@link ForkJoinPool} worker (such as a server handler on the default
   * executor calling another service) the wait is a {@linkplain ForkJoinPool#managedBlock managed
   * block}, so the pool may start another thread while this one waits.
   */
  private Runnable nextTask() throws InterruptedException {
    Runnable task = tasks.poll();
    if (task != null) {
      return task;
    }
    if (!(Thread.currentThread() instanceof ForkJoinWorkerThread)) {
      return tasks.take();
    }
    TaskWait wait = new TaskWait();
    ForkJoinPool.managedBlock(wait);
    return wait.task;
  }

  /** Waits for the next task on behalf of a fork-join pool. */
  private final class TaskWait implements ForkJoinPool.ManagedBlocker {
    Runnable task;

    @Override
    public boolean block() throws InterruptedException {
      if (task == null) {
        task = tasks.take();
      }
      return true;
    }

    @Override
    public boolean isReleasable() {
      if (task == null) {
        task = tasks.poll();
      }
      return task != null;
    }
  }

  private void runTasks(Runnable first) {
    Runnable task = first;
    do {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.WARNING, "call callback failed", e);
      }
    } while ((task = tasks.poll()) != null);
  }
}
