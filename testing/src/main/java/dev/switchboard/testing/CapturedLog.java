package dev.switchboard.testing;

import java.text.MessageFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the {@link System.Logger} of one name logs, for tests that check a message is logged
 * (once, at the right level). It listens on the {@code java.util.logging} logger of the same name,
 * which is where the JDK's default {@code System.Logger} backend writes. Thread-safe; {@link
 * #close()} detaches it.
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /**
   * Starts recording what the logger named {@code loggerName} logs.
   *
   * @param loggerName the logger's name, usually the logging class's name
   */
  public CapturedLog(String loggerName) {
    logger = Logger.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /**
   * {@return the messages logged so far at {@code level}, with their parameters filled in}
   *
   * @param level the level to select
   */
  public List<String> messages(System.Logger.Level level) {
    Level jul =
        switch (level) {
          case ERROR -> Level.SEVERE;
          case WARNING -> Level.WARNING;
          case INFO -> Level.INFO;
          case DEBUG -> Level.FINE;
          case TRACE -> Level.FINER;
          case ALL -> Level.ALL;
          case OFF -> Level.OFF;
        };
    return records.stream().filter(r -> r.getLevel().equals(jul)).map(CapturedLog::format).toList();
  }

  private static String format(LogRecord r) {
    Object[] params = r.getParameters();
    return params == null || params.length == 0
        ? r.getMessage()
        : MessageFormat.format(r.getMessage(), params);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
