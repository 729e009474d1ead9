package dev.switchboard.api;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A serializing executor that owns no thread: tasks run one at a time, in submission order, on
 * whichever thread is draining the queue. Each channel has one; all of its state changes and every
 * balancer, resolver and {@code SubConn} callback run in it.
 *
 * <p>Rules: never block inside a task; never call {@link #execute} while holding a lock another
 * task may take (use {@link #executeLater}, release the lock, then {@link #drain}). Tasks that
 * throw are reported to the uncaught-exception handler and do not stop later tasks.
 *
 * <p>Thread-safe. Non-reentrant: a task that calls {@code execute} enqueues, and the new task runs
 * after the current one returns.
 *
 * @since 0.1
 */
public final class SynchronizationContext implements Executor {
  private final Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Thread> drainingThread = new AtomicReference<>();

  /**
   * Creates an empty context.
   *
   * @param uncaughtExceptionHandler told of every exception a task throws, on the draining thread;
   *     not null
   */
  public SynchronizationContext(Thread.UncaughtExceptionHandler uncaughtExceptionHandler) {
    this.uncaughtExceptionHandler =
        Objects.requireNonNull(uncaughtExceptionHandler, "uncaughtExceptionHandler");
  }

  /** Runs queued tasks until the queue is empty, unless another thread is already draining. */
  public void drain() {
    do {
      if (!drainingThread.compareAndSet(null, Thread.currentThread())) {
        return;
      }
      try {
        Runnable task;
        while ((task = queue.poll()) != null) {
          try {
            task.run();
          } catch (Throwable t) {
            uncaughtExceptionHandler.uncaughtException(Thread.currentThread(), t);
          }
        }
      } finally {
        drainingThread.set(null);
      }
      // A task may have been added after the poll that saw the queue empty but before the release.
    } while (!queue.isEmpty());
  }

  /**
   * Adds a task without running it; follow with {@link #drain()}.
   *
   * @param task the task, not null
   */
  public void executeLater(Runnable task) {
    queue.add(Objects.requireNonNull(task, "task"));
  }

  /** Adds a task and drains. */
  @Override
  public void execute(Runnable task) {
    executeLater(task);
    drain();
  }

  /** {@return whether the calling thread is running a task of this context} */
  public boolean isInContext() {
    return drainingThread.get() == Thread.currentThread();
  }

  /** Throws {@link IllegalStateException} unless called from within a task of this context. */
  public void throwIfNotInThisSynchronizationContext() {
    if (!isInContext()) {
      throw new IllegalStateException("Not called from the SynchronizationContext");
    }
  }

  /**
   * Runs {@code task} in this context after {@code delay}, using {@code timer} only to wait. The
   * returned handle's {@link ScheduledHandle#cancel()}, called from within this context, guarantees
   * the task will not run.
   *
   * @param task the task, not null
   * @param delay how long to wait
   * @param unit the unit of {@code delay}
   * @param timer only waits; it never runs the task itself
   * @return a handle to cancel the task
   */
  public ScheduledHandle schedule(
      Runnable task, long delay, TimeUnit unit, ScheduledExecutorService timer) {
    ManagedRunnable runnable = new ManagedRunnable(task);
    ScheduledFuture<?> future = timer.schedule(() -> execute(runnable), delay, unit);
    return new ScheduledHandle(runnable, future);
  }

  private static final class ManagedRunnable implements Runnable {
    final Runnable task;
    boolean isCancelled; // only touched in the context
    boolean hasStarted; // only touched in the context

    ManagedRunnable(Runnable task) {
      this.task = Objects.requireNonNull(task, "task");
    }

    @Override
    public void run() {
      if (!isCancelled) {
        hasStarted = true;
        task.run();
      }
    }
  }

  /** A task scheduled with {@link #schedule}. */
  public static final class ScheduledHandle {
    private final ManagedRunnable runnable;
    private final ScheduledFuture<?> future;

    private ScheduledHandle(ManagedRunnable runnable, ScheduledFuture<?> future) {
      this.runnable = runnable;
      this.future = future;
    }

    /** Cancels the task; call from within the context. */
    public void cancel() {
      runnable.isCancelled = true;
      future.cancel(false);
    }

    /**
     * {@return whether the task has neither started nor been cancelled} Call from within the
     * context.
     */
    public boolean isPending() {
      return !(runnable.hasStarted || runnable.isCancelled);
    }
  }
}
