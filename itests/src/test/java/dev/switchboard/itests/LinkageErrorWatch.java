package dev.switchboard.itests;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * Watches every thread for the class-loading errors code of a refreshed bundle would run into
 * ({@link LinkageError} such as {@code NoClassDefFoundError}, and {@link ClassNotFoundException}):
 * in {@code java.util.logging} records (where {@code System.Logger} and Netty log in the
 * framework), uncaught exceptions, framework error events, and lines printed on {@code System.out}
 * or {@code System.err}. Errors seen on other threads are collected, and {@link #seen()} hands them
 * to the test thread to assert on. {@link #close()} restores what it replaced.
 */
final class LinkageErrorWatch implements AutoCloseable {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final BundleContext ctx;
  private final Logger root = Logger.getLogger("");
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          check("log " + r.getLoggerName(), r.getThrown(), r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final FrameworkListener frameworkListener =
      e -> {
        if (e.getType() == FrameworkEvent.ERROR || e.getType() == FrameworkEvent.WARNING) {
          check("framework event from " + e.getBundle(), e.getThrowable(), null);
        }
      };
  private final Thread.UncaughtExceptionHandler previousHandler;
  private final PrintStream out;
  private final PrintStream err;

  LinkageErrorWatch(BundleContext ctx) {
    this.ctx = ctx;
    root.addHandler(handler);
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> {
          check("uncaught in " + t.getName(), e, null);
          if (previousHandler != null) {
            previousHandler.uncaughtException(t, e);
          }
        });
    ctx.addFrameworkListener(frameworkListener);
    out = System.out;
    err = System.err;
    System.setOut(new PrintStream(new LineWatch(out, "stdout"), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new LineWatch(err, "stderr"), true, StandardCharsets.UTF_8));
  }

  /** What was seen so far, one line each. */
  List<String> seen() {
    return List.copyOf(seen);
  }

  /** Records {@code thrown} (or a cause of it) or {@code text} when it is a class-loading error. */
  void check(String where, Throwable thrown, String text) {
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof LinkageError || t instanceof ClassNotFoundException) {
        seen.add(where + ": " + t);
        return;
      }
    }
    if (text != null && isClassLoadingError(text)) {
      seen.add(where + ": " + text);
    }
  }

  static boolean isClassLoadingError(String text) {
    return text.contains("NoClassDefFoundError")
        || text.contains("ClassNotFoundException")
        || text.contains("LinkageError");
  }

  @Override
  public void close() {
    System.setOut(out);
    System.setErr(err);
    ctx.removeFrameworkListener(frameworkListener);
    Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    root.removeHandler(handler);
  }

  /** Passes bytes on and checks each complete line. */
  private final class LineWatch extends OutputStream {
    private final OutputStream target;
    private final String name;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineWatch(OutputStream target, String name) {
      this.target = target;
      this.name = name;
    }

    @Override
    public synchronized void write(int b) {
      try {
        target.write(b);
      } catch (java.io.IOException e) {
        // the console is gone: keep watching
      }
      if (b == '\n') {
        check(name, null, line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else if (line.size() < 4096) {
        line.write(b);
      }
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      target.flush();
    }
  }
}
