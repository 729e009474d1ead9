package dev.switchboard.server.internal;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: one per call, so that a
 * call's listener events never overlap while different calls run in parallel. Thread-safe.
 *
 * <p>At most one drain is scheduled on the delegate at a time; it runs until the queue is empty. A
 * task that throws is logged and does not stop the ones after it.
 */
final class SerializingExecutor implements Executor {
  private static final System.Logger LOG = System.getLogger(SerializingExecutor.class.getName());

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  SerializingExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Queues {@code task}.
   *
   * @throws RejectedExecutionException when the delegate refuses to run the drain; the task stays
   *     queued and runs with the next successful drain, if any
   */
  @Override
  public void execute(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        delegate.execute(drain);
      } catch (RuntimeException e) {
        scheduled.set(false);
        throw e;
      }
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          LOG.log(System.Logger.Level.ERROR, "call task failed", e);
        }
      }
    } finally {
      scheduled.set(false);
    }
    // A task may have been queued between the last poll and the release of the flag.
    if (!tasks.isEmpty()) {
      scheduleDrain();
    }
  }
}
