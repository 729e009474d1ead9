package dev.switchboard.itests;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The ERRORs one logger logs, as a class logs them through the JDK's {@code System.Logger} (into
 * {@code java.util.logging}), inside a framework where the {@code testing} module's {@code
 * CapturedLog} is not deployed. {@link #close()} detaches it.
 */
final class LoggedErrors extends Handler implements AutoCloseable {
  private final Logger logger;
  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

  LoggedErrors(String loggerName) {
    logger = Logger.getLogger(loggerName);
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord r) {
    if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
      messages.add(
          MessageFormat.format(
              r.getMessage(), r.getParameters() == null ? new Object[0] : r.getParameters()));
    }
  }

  /** Waits for the next ERROR and checks that it says each of {@code parts}. */
  void await(String... parts) throws InterruptedException {
    String message = messages.poll(InFramework.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertNotNull("no ERROR logged; expected " + Arrays.toString(parts), message);
    for (String part : parts) {
      assertTrue(message, message.contains(part));
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
