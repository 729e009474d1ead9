package dev.switchboard.testing;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when an error was collected by {@link UncaughtErrors} while it ran: an assertion
 * that failed in a callback, a serializer or event-loop task that threw, a thread that died.
 * Registered for every test class through JUnit's extension auto-detection (enabled by the build),
 * like {@link NettyLeakExtension}; it also routes Netty's own logging to {@code java.util.logging}
 * so that event-loop task failures are seen.
 *
 * <p>A test that provokes such errors on purpose takes them with {@link UncaughtErrors#takeAll()}.
 */
public final class UncaughtErrorsExtension
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final boolean NETTY_PRESENT = NettyPresence.PRESENT;

  /** Created by JUnit's extension auto-detection. */
  public UncaughtErrorsExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (NETTY_PRESENT) {
      NettyLogging.routeToJdk();
    }
    UncaughtErrors.install();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName() + " (after all its tests)");
  }

  private static void check(String where) {
    List<UncaughtErrors.Reported> errors = UncaughtErrors.takeAll();
    if (errors.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder()
            .append(errors.size())
            .append(" uncaught error(s) during ")
            .append(where)
            .append(':');
    for (UncaughtErrors.Reported r : errors) {
      message.append("\n  ").append(r);
    }
    AssertionError failure = new AssertionError(message.toString(), errors.get(0).error());
    for (int i = 1; i < errors.size(); i++) {
      failure.addSuppressed(errors.get(i).error());
    }
    throw failure;
  }

  /** Holds the Netty-typed part, so the outer class loads without Netty. */
  private static final class NettyLogging {
    private static boolean routed;

    static synchronized void routeToJdk() {
      if (!routed) {
        routed = true;
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
      }
    }
  }
}
