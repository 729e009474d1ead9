package dev.switchboard.api;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: a utility for core and
 * transport implementers, who give each call one so that its listener callbacks never overlap even
 * on a thread pool, while different calls run in parallel. Both cores use it, the client for a
 * call's {@code ClientStreamListener}, the server for a call's {@code ServerCallListener}.
 *
 * <p>At most one drain is handed to the delegate at a time; it runs the queued tasks until the
 * queue is empty. A task that throws is logged at ERROR and does not stop the ones after it. Unlike
 * {@link SynchronizationContext}, it runs tasks on the delegate's threads, never on the submitting
 * one, with one exception:
 *
 * <p><b>Rejection.</b> When the delegate rejects the drain ({@link RejectedExecutionException}: a
 * pool shut down or saturated), the queue is drained on the submitting thread instead, still one
 * task at a time and in order, and a WARNING is logged; {@link #execute} never throws for it. A
 * task is never dropped, because a lost task can be a call's last callback ({@code onClose}, {@code
 * onCancel}), or hold a transport's buffer that only the task closes. The price: with a rejecting
 * executor, callbacks may run on a transport or timer thread, so an application that bounds its
 * executor should not block in them.
 *
 * <p>Thread-safe.
 *
 * @since 0.2
 */
public final class SerializingExecutor implements Executor {
  private static final System.Logger LOG = System.getLogger(SerializingExecutor.class.getName());
  private static final AtomicIntegerFieldUpdater<SerializingExecutor> SCHEDULED =
      AtomicIntegerFieldUpdater.newUpdater(SerializingExecutor.class, "scheduled");

  private final Executor delegate;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final Runnable drain = new Drain();

  /** 1 while a drain is handed to the delegate or running. */
  private volatile int scheduled;

  /**
   * A serializing executor running its tasks on {@code delegate}.
   *
   * @param delegate runs the drains; any executor, such as a shared thread pool
   */
  public SerializingExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Queues {@code task}; it runs after every task queued before it, on the delegate (or, if the
   * delegate rejects, on this thread; see the class comment).
   *
   * @param task the task to run
   */
  @Override
  public void execute(Runnable task) {
    queue.add(Objects.requireNonNull(task, "task"));
    schedule();
  }

  private void schedule() {
    if (SCHEDULED.compareAndSet(this, 0, 1)) {
      try {
        delegate.execute(drain);
      } catch (RejectedExecutionException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "executor " + delegate + " rejected a task; running it on this thread",
            e);
        drain.run();
      }
    }
  }

  /** Runs the queue until it is empty; only ever run by one thread at a time. */
  private final class Drain implements Runnable {
    @Override
    public void run() {
      try {
        Runnable task;
        while ((task = queue.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "a serialized task threw", e);
          }
        }
      } finally {
        scheduled = 0;
      }
      if (!queue.isEmpty()) {
        schedule(); // a task arrived after the last poll but before the flag was cleared
      }
    }
  }
}
