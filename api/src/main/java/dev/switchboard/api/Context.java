package dev.switchboard.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What follows a request from call to call: a deadline, a cancellation, and values interceptors
 * attach ({@link Key}s). The server makes one for each call and makes it current (for the thread)
 * while the call's handler and listener run; a client call started while a context is current takes
 * the earlier of its own deadline and the context's, and is cancelled when the context is. So a
 * handler that calls other services passes its deadline and cancellation on without code.
 *
 * <p>The current context belongs to the thread: work handed to another thread does not carry it
 * unless wrapped ({@link #wrap(Runnable)}, {@link #wrap(Executor)}) or run inside {@link
 * #run(Runnable)} there. {@link #ROOT} (no deadline, never cancelled) is current where nothing else
 * is; run work under it to detach it from the incoming call, such as a call that must outlive the
 * request.
 *
 * <p>A context is immutable but for its cancellation, which happens once ({@link
 * CancellableContext#cancel}) and then tells its listeners and every context derived from it.
 * Thread-safe.
 *
 * @since 0.3
 */
@ProviderType
public class Context {
  /** The context with no deadline, no values, never cancelled. */
  public static final Context ROOT = new Context(null, null, null, null);

  private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

  private final Context parent;
  private final Deadline deadline;
  private final Key<?> key;
  private final Object value;

  Context(Context parent, Deadline deadline, Key<?> key, Object value) {
    this.parent = parent;
    this.deadline = deadline;
    this.key = key;
    this.value = value;
  }

  /** {@return the context current on this thread: {@link #ROOT} when none was attached} */
  public static Context current() {
    Context c = CURRENT.get();
    return c == null ? ROOT : c;
  }

  /**
   * {@return the deadline of the work this context belongs to, or {@code null} for none} A derived
   * context has the earlier of its own and its parent's.
   */
  public Deadline deadline() {
    return deadline;
  }

  /** {@return whether this context (or one it derives from) has been cancelled} */
  public boolean isCancelled() {
    return cancellationCause() != null;
  }

  /**
   * {@return why this context was cancelled, or {@code null} while it is not} The server cancels a
   * call's context with the call's final status when it ends.
   */
  public Status cancellationCause() {
    return parent == null ? null : parent.cancellationCause();
  }

  /**
   * Runs {@code listener} once when this context is cancelled (at once, on this thread, when it
   * already is); does nothing for a context that can never be cancelled.
   *
   * @param listener what to run; it must be quick and must not throw
   * @return a handle whose {@code close()} removes the listener
   */
  public AutoCloseable addCancellationListener(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    return parent == null ? () -> {} : parent.addCancellationListener(listener);
  }

  /**
   * {@return the value this context (or one it derives from) holds for {@code key}, or {@code
   * null}}
   *
   * @param key the key
   * @param <T> the value's type
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    for (Context c = this; c != null; c = c.parent) {
      if (c.key == key) {
        return (T) c.value;
      }
    }
    return null;
  }

  /**
   * {@return a context like this one that also holds {@code value} for {@code key}}
   *
   * @param key the key
   * @param value the value, may be {@code null}
   * @param <T> the value's type
   */
  public <T> Context withValue(Key<T> key, T value) {
    return new Context(this, deadline, Objects.requireNonNull(key, "key"), value);
  }

  /**
   * {@return a cancellable context derived from this one, with the earlier of {@code deadline} and
   * this context's} It is cancelled when this one is, and by its own {@link
   * CancellableContext#cancel}.
   *
   * @param deadline the work's deadline, or {@code null} for this context's
   */
  public CancellableContext withCancellation(Deadline deadline) {
    return new CancellableContext(this, earlier(this.deadline, deadline));
  }

  /**
   * Runs {@code work} with this context current on this thread, then restores the one that was.
   *
   * @param work what to run
   */
  public void run(Runnable work) {
    Context previous = attach();
    try {
      work.run();
    } finally {
      detach(previous);
    }
  }

  /**
   * Calls {@code work} with this context current on this thread, then restores the one that was.
   *
   * @param work what to call
   * @param <V> its result type
   * @return its result
   * @throws Exception what {@code work} throws
   */
  public <V> V call(Callable<V> work) throws Exception {
    Context previous = attach();
    try {
      return work.call();
    } finally {
      detach(previous);
    }
  }

  /**
   * {@return {@code work} wrapped so that it runs with this context current, on whatever thread
   * runs it}
   *
   * @param work what to wrap
   */
  public Runnable wrap(Runnable work) {
    Objects.requireNonNull(work, "work");
    return () -> run(work);
  }

  /**
   * {@return an executor running each task on {@code executor} with this context current}
   *
   * @param executor where the tasks run
   */
  public Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(wrap(task));
  }

  /**
   * Makes this context current on this thread. Pair every call with {@link #detach(Context)} in a
   * {@code finally}, passing what this returned; {@link #run} does both.
   *
   * @return the context that was current, to restore
   */
  public Context attach() {
    Context previous = CURRENT.get();
    CURRENT.set(this == ROOT ? null : this);
    return previous == null ? ROOT : previous;
  }

  /**
   * Restores {@code previous} as this thread's current context, ending an {@link #attach()}.
   *
   * @param previous what {@link #attach()} returned
   */
  public void detach(Context previous) {
    CURRENT.set(previous == ROOT ? null : previous);
  }

  /** The earlier of two deadlines, either of which may be null; different tickers by time left. */
  static Deadline earlier(Deadline a, Deadline b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (a.ticker() == b.ticker()) {
      return a.minimum(b);
    }
    return a.timeRemaining(java.util.concurrent.TimeUnit.NANOSECONDS)
            <= b.timeRemaining(java.util.concurrent.TimeUnit.NANOSECONDS)
        ? a
        : b;
  }

  /**
   * A key for a value interceptors put in a context; keys compare by identity, so make one per
   * meaning and keep it in a constant.
   *
   * @param <T> the value's type
   */
  public static final class Key<T> {
    private final String name;

    /**
     * A new key.
     *
     * @param name a name for debugging
     */
    public Key(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A context that can be cancelled, once: what the server makes for each call. Cancelling it
   * cancels every context derived from it and runs their listeners.
   *
   * @since 0.3
   */
  public static final class CancellableContext extends Context {
    private final Object lock = new Object();
    // Guarded by lock.
    private Status cause;
    private List<Runnable> listeners = new ArrayList<>(2);
    private final AutoCloseable parentRegistration;

    CancellableContext(Context parent, Deadline deadline) {
      super(parent, deadline, null, null);
      // Runs at once (cancelling this one) when the parent already is cancelled.
      parentRegistration = parent.addCancellationListener(() -> cancel(parent.cancellationCause()));
    }

    /**
     * Cancels this context with {@code cause} (the first cancel wins; later ones do nothing) and
     * runs the listeners on this thread.
     *
     * @param cause why, such as the call's final status
     */
    public void cancel(Status cause) {
      Objects.requireNonNull(cause, "cause");
      List<Runnable> toRun;
      synchronized (lock) {
        if (this.cause != null) {
          return;
        }
        this.cause = cause;
        toRun = listeners;
        listeners = null;
      }
      if (parentRegistration != null) {
        closeQuietly(parentRegistration);
      }
      for (Runnable r : toRun) {
        r.run();
      }
    }

    @Override
    public Status cancellationCause() {
      synchronized (lock) {
        return cause;
      }
    }

    @Override
    public AutoCloseable addCancellationListener(Runnable listener) {
      Objects.requireNonNull(listener, "listener");
      synchronized (lock) {
        if (cause == null) {
          listeners.add(listener);
          return () -> {
            synchronized (lock) {
              if (listeners != null) {
                listeners.remove(listener);
              }
            }
          };
        }
      }
      listener.run();
      return () -> {};
    }

    private static void closeQuietly(AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // removing a listener does not fail
      }
    }
  }
}
