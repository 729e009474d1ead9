package dev.switchboard.clientconn.internal;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in order, on a delegate executor: a call's listener callbacks never
 * overlap even on a thread pool. Tasks that throw are logged and do not stop later ones. When the
 * delegate rejects, the tasks run on the submitting thread rather than being lost, because a
 * lost task could be a call's only {@code onClose} or a message stream that must be closed.
 * Thread-safe.
 */
final class SerializingExecutor implements Executor, Runnable {
  private static final System.Logger LOG = System.getLogger(SerializingExecutor.class.getName());

  private final Executor delegate;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  SerializingExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void execute(Runnable task) {
    queue.add(Objects.requireNonNull(task, "task"));
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        delegate.execute(this);
      } catch (RejectedExecutionException e) {
        LOG.log(System.Logger.Level.WARNING,
            "call executor rejected a task; running call callbacks on this thread", e);
        run();
      }
    }
  }

  /** Drains the queue; only ever run by one thread at a time. */
  @Override
  public void run() {
    try {
      Runnable task;
      while ((task = queue.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          LOG.log(System.Logger.Level.ERROR, "exception in a call callback task", e);
        }
      }
    } finally {
      scheduled.set(false);
    }
    if (!queue.isEmpty()) {
      schedule(); // a task arrived after the last poll but before the flag was cleared
    }
  }
}
