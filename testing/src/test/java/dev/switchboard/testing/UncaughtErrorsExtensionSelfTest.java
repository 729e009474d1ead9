package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Proves the guard every test relies on can fail: each rule of {@link UncaughtErrors} is broken on
 * another thread, as production code would see it, and the extension's {@code afterEach} must
 * throw. (The same extension is registered for this class by auto-detection; each test here leaves
 * nothing behind for it.)
 */
class UncaughtErrorsExtensionSelfTest {
  private static final System.Logger LOG =
      System.getLogger(UncaughtErrorsExtensionSelfTest.class.getName());

  private final UncaughtErrorsExtension extension = new UncaughtErrorsExtension();
  private final ExtensionContext context = fakeContext("deliberately broken test");
  private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopThread() throws Exception {
    otherThread.shutdown();
    assertTrue(otherThread.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void anErrorLoggedOnAnotherThreadFailsTheTest() throws Exception {
    extension.beforeAll(context);
    // What a serializer does with a task that threw: log at ERROR and carry on.
    otherThread
        .submit(
            () ->
                LOG.log(
                    System.Logger.Level.ERROR,
                    "exception in a callback task",
                    new IllegalStateException("task failed")))
        .get();
    AssertionError failure = assertThrows(AssertionError.class, () -> extension.afterEach(context));
    assertTrue(
        failure.getMessage().startsWith("1 uncaught error(s) during deliberately broken"),
        failure.getMessage());
    assertEquals("task failed", failure.getCause().getMessage());
    extension.afterEach(context); // consumed: quiet again
  }

  @Test
  void anAssertionLoggedAsAWarningFailsTheTest() throws Exception {
    extension.beforeAll(context);
    // A test double's failed check, caught and logged by the code that called it.
    otherThread
        .submit(
            () ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "handler threw",
                    new RuntimeException("wrapped", new AssertionError("onClose called twice"))))
        .get();
    AssertionError failure = assertThrows(AssertionError.class, () -> extension.afterEach(context));
    assertTrue(failure.getMessage().contains("handler threw"), failure.getMessage());
  }

  @Test
  void aThreadDyingOfAnExceptionFailsTheTest() throws Exception {
    extension.beforeAll(context);
    Thread dying =
        new Thread(
            () -> {
              throw new IllegalStateException("thread died");
            },
            "dying-thread");
    dying.start();
    dying.join(TimeUnit.SECONDS.toMillis(10));
    AssertionError failure = assertThrows(AssertionError.class, () -> extension.afterEach(context));
    assertTrue(failure.getMessage().contains("thread dying-thread died"), failure.getMessage());
  }

  @Test
  void whatATestDoubleReportsFailsTheTest() throws Exception {
    extension.beforeAll(context);
    otherThread.submit(() -> UncaughtErrors.report(new AssertionError("expected 1 call"))).get();
    AssertionError failure = assertThrows(AssertionError.class, () -> extension.afterEach(context));
    assertEquals("expected 1 call", failure.getCause().getMessage());
  }

  @Test
  void warningsWithoutAssertionsAndTakenErrorsDoNot() throws Exception {
    extension.beforeAll(context);
    otherThread
        .submit(
            () -> {
              LOG.log(
                  System.Logger.Level.WARNING, "peer went away", new java.io.IOException("reset"));
              LOG.log(System.Logger.Level.ERROR, "provoked on purpose");
            })
        .get();
    assertEquals(List.of("SEVERE provoked on purpose"), UncaughtErrors.takeMessages());
    extension.afterEach(context); // does not throw
  }

  private static ExtensionContext fakeContext(String name) {
    return (ExtensionContext)
        Proxy.newProxyInstance(
            UncaughtErrorsExtensionSelfTest.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getDisplayName")) {
                return name;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
