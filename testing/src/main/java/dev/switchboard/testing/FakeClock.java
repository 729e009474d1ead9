package dev.switchboard.testing;

import dev.switchboard.api.Deadline;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fake time for state-machine tests: a {@link Deadline.Ticker}, a {@link ScheduledExecutorService}
 * whose tasks run only when the test {@link #forwardTime forwards time} (or calls {@link
 * #runDueTasks}), and an {@link Executor} whose tasks run only on {@link #runPendingTasks}.
 * Everything runs on the test thread. Not thread-safe.
 */
public final class FakeClock {
  private long nanos;
  private long sequence;
  private final PriorityQueue<ScheduledTask> scheduled = new PriorityQueue<>();
  private final List<Runnable> pending = new ArrayList<>();
  private final Scheduler scheduler = new Scheduler();

  /** Creates a clock at time 0 with no task. */
  public FakeClock() {}

  /** {@return the current fake time in nanoseconds; starts at 0} */
  public long nanoTime() {
    return nanos;
  }

  /** {@return a ticker reading this clock, for {@link Deadline}s} */
  public Deadline.Ticker ticker() {
    return this::nanoTime;
  }

  /**
   * {@return a scheduler whose tasks run when time is forwarded past their due time} Its periodic
   * scheduling methods are not supported; shutting it down does nothing.
   */
  public ScheduledExecutorService scheduledExecutor() {
    return scheduler;
  }

  /** {@return an executor that queues tasks until {@link #runPendingTasks()}} */
  public Executor executor() {
    return pending::add;
  }

  /**
   * Advances time and runs every scheduled task that became due, in due order; ties run in
   * scheduling order. A task that throws fails the test with an {@link AssertionError}.
   *
   * @param duration how far to advance, at least 0
   * @param unit the unit of {@code duration}
   * @return how many tasks ran
   */
  public int forwardTime(long duration, TimeUnit unit) {
    long target = nanos + unit.toNanos(duration);
    int ran = 0;
    while (!scheduled.isEmpty() && scheduled.peek().dueNanos <= target) {
      ScheduledTask t = scheduled.poll();
      nanos = Math.max(nanos, t.dueNanos);
      t.run();
      ran++;
    }
    nanos = target;
    return ran;
  }

  /**
   * Runs scheduled tasks already due at the current time.
   *
   * @return how many tasks ran
   */
  public int runDueTasks() {
    return forwardTime(0, TimeUnit.NANOSECONDS);
  }

  /**
   * Runs tasks given to {@link #executor()}, in order, including ones they add.
   *
   * @return how many tasks ran
   */
  public int runPendingTasks() {
    int ran = 0;
    while (!pending.isEmpty()) {
      pending.remove(0).run();
      ran++;
    }
    return ran;
  }

  /** {@return how many scheduled tasks have neither run nor been cancelled} */
  public int numScheduledTasks() {
    scheduled.removeIf(ScheduledTask::isCancelled);
    return scheduled.size();
  }

  /** {@return the delay until the next scheduled task, in nanoseconds, or -1 when none} */
  public long nextTaskDelayNanos() {
    scheduled.removeIf(ScheduledTask::isCancelled);
    return scheduled.isEmpty() ? -1 : scheduled.peek().dueNanos - nanos;
  }

  /** {@return how many tasks given to {@link #executor()} wait for {@link #runPendingTasks()}} */
  public int numPendingTasks() {
    return pending.size();
  }

  private final class ScheduledTask extends FutureTask<Object> implements ScheduledFuture<Object> {
    final long dueNanos;
    final long seq = sequence++;

    ScheduledTask(Callable<Object> callable, long dueNanos) {
      super(callable);
      this.dueNanos = dueNanos;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      ScheduledTask other = (ScheduledTask) o;
      int c = Long.compare(dueNanos, other.dueNanos);
      return c != 0 ? c : Long.compare(seq, other.seq);
    }

    @Override
    public void run() {
      super.run();
      try {
        if (isDone() && !isCancelled()) {
          get();
        }
      } catch (ExecutionException e) {
        throw new AssertionError("scheduled task failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class Scheduler extends AbstractExecutorService
      implements ScheduledExecutorService {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return schedule(
          () -> {
            command.run();
            return null;
          },
          delay,
          unit);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      ScheduledTask t =
          new ScheduledTask((Callable<Object>) callable, nanos + Math.max(0, unit.toNanos(delay)));
      scheduled.add(t);
      return (ScheduledFuture<V>) t;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable c, long i, long p, TimeUnit u) {
      throw new UnsupportedOperationException("not needed by Switchboard");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable c, long i, long d, TimeUnit u) {
      throw new UnsupportedOperationException("not needed by Switchboard");
    }

    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
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
      return true;
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(
        Collection<? extends Callable<T>> tasks) {
      throw new UnsupportedOperationException();
    }
  }
}
