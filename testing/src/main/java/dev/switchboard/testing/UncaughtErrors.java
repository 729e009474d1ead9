package dev.switchboard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Errors that happened where no test can see them: on serializers, call executors and event loops
 * whose production code catches a task's exception and only logs it, and on threads that died of
 * one. {@link UncaughtErrorsExtension} fails the running test when any was collected.
 *
 * <p>What is collected, once {@link #install()} ran (the extension does it):
 *
 * <ul>
 *   <li>every log record at {@code SEVERE} ({@code System.Logger.Level.ERROR}), which is how the
 *       serializers, the channel's synchronization context and the transport's write queue report a
 *       task that threw;
 *   <li>every log record, at any level, whose exception is or was caused by an {@link
 *       AssertionError}: a test double's failed check, caught and logged by the code it was called
 *       from (e.g. a server handler's exception becomes a WARNING and an UNKNOWN status);
 *   <li>every exception that a task or a promise listener threw on a Netty event loop (logged at
 *       WARNING by Netty's executors, which {@link UncaughtErrorsExtension} routes to {@code
 *       java.util.logging});
 *   <li>every exception that ends a thread (the default uncaught-exception handler);
 *   <li>whatever a test double passes to {@link #report}.
 * </ul>
 *
 * <p>A test that provokes such an error on purpose takes it with {@link #takeAll()} and checks it,
 * which also proves the error happened. Thread-safe.
 */
public final class UncaughtErrors {
  /** One collected error and where it was seen. */
  public record Reported(String where, Throwable error) {
    /**
     * Checks the parts.
     *
     * @param where where the error was seen: a thread, or a logger and its message
     * @param error the error
     */
    public Reported {
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String toString() {
      return where + ": " + error;
    }
  }

  /** Netty's executors log tasks and promise listeners that threw here, at WARNING. */
  private static final String NETTY_EXECUTORS = "io.netty.util.concurrent.";

  private static final List<Reported> REPORTED = new CopyOnWriteArrayList<>();
  private static boolean installed;

  private UncaughtErrors() {}

  /**
   * Records an error that a test double saw on a thread other than the test's (for example an
   * assertion that failed in a callback): the running test fails at its end. Any thread.
   *
   * @param error what went wrong
   */
  public static void report(Throwable error) {
    REPORTED.add(
        new Reported(
            "reported on " + Thread.currentThread().getName(),
            Objects.requireNonNull(error, "error")));
  }

  /**
   * A failed check of a test double that runs on another thread: reported here (so the test fails
   * whatever the calling code does with it) and returned for the double to throw, as in {@code
   * throw UncaughtErrors.failure("onClose called twice")}. Any thread.
   *
   * @param message what the check found
   * @return the reported error, to throw
   */
  public static AssertionError failure(String message) {
    AssertionError error = new AssertionError(message);
    report(error);
    return error;
  }

  /**
   * Removes and returns what was collected so far, oldest first: for a test that provokes errors on
   * purpose, to check them and so keep them from failing it.
   *
   * @return what was collected, oldest first
   */
  public static List<Reported> takeAll() {
    List<Reported> taken = new ArrayList<>(REPORTED);
    REPORTED.removeAll(taken);
    return taken;
  }

  /**
   * Removes what was collected so far and returns the messages of the errors, oldest first: the
   * short way for a test to check the errors it provoked, e.g. {@code
   * assertEquals(List.of("broken"), UncaughtErrors.takeMessages())}.
   *
   * @return the messages of what was collected, oldest first
   */
  public static List<String> takeMessages() {
    return takeAll().stream().map(r -> r.error().getMessage()).toList();
  }

  /**
   * Starts collecting: a handler on the root {@code java.util.logging} logger (the backend of
   * {@code System.Logger} unless the JVM was given another) and a default uncaught-exception
   * handler that records and then calls the one it replaced. Idempotent.
   */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    Logger.getLogger("").addHandler(new CollectingHandler());
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          REPORTED.add(new Reported("thread " + thread.getName() + " died", error));
          if (previous != null) {
            previous.uncaughtException(thread, error);
          }
        });
  }

  /** Whether {@code record} reports an error a test must not pass over. */
  static boolean isError(LogRecord record) {
    int level = record.getLevel().intValue();
    if (level >= Level.SEVERE.intValue()) {
      return true;
    }
    String logger = record.getLoggerName();
    if (level >= Level.WARNING.intValue()
        && record.getThrown() != null
        && logger != null
        && logger.startsWith(NETTY_EXECUTORS)) {
      return true; // a task or a promise listener threw on an event loop
    }
    for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
      if (t instanceof AssertionError) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Collects error records; prints nothing (the console handler still does). */
  private static final class CollectingHandler extends Handler {
    CollectingHandler() {
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      if (record == null || !isError(record)) {
        return;
      }
      Throwable error =
          record.getThrown() != null
              ? record.getThrown()
              : new LoggedError(record.getLevel() + " " + record.getMessage());
      REPORTED.add(
          new Reported(
              "logged by "
                  + record.getLoggerName()
                  + " on thread "
                  + record.getLongThreadID()
                  + " ("
                  + record.getMessage()
                  + ")",
              error));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Stands for an error record that carried no exception. */
  static final class LoggedError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LoggedError(String message) {
      super(message, null, false, false);
    }
  }
}
