package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Deadline;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The clocks and threads a channel runs on. Production uses {@link #system()}; tests pass a fake
 * ticker and a fake scheduler that only runs tasks when time is forwarded.
 *
 * @param ticker monotonic time, for backoff deadlines and block timeouts
 * @param timer fires timers only: reconnect backoff, connect timeouts, resolver retries, call
 *     deadlines
 * @param blockingExecutor runs blocking work such as host-name lookups
 * @param defaultCallExecutor runs call callbacks when neither call nor dial options name one
 * @param random uniform values in [0, 1) for backoff jitter; must be thread-safe
 * @param uncaughtExceptionHandler told about exceptions escaping serializer tasks
 * @param environment reads an environment variable, {@code null} when unset ({@link
 *     System#getenv(String)}, or a test's map): the proxy variables, see {@link ProxySelection}
 */
public record ChannelEnvironment(
    Deadline.Ticker ticker,
    ScheduledExecutorService timer,
    Executor blockingExecutor,
    Executor defaultCallExecutor,
    DoubleSupplier random,
    Thread.UncaughtExceptionHandler uncaughtExceptionHandler,
    Function<String, String> environment) {
  private static final System.Logger LOG = System.getLogger(ChannelEnvironment.class.getName());

  public ChannelEnvironment {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(timer, "timer");
    Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    Objects.requireNonNull(defaultCallExecutor, "defaultCallExecutor");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(uncaughtExceptionHandler, "uncaughtExceptionHandler");
    Objects.requireNonNull(environment, "environment");
  }

  /** System time and the shared daemon threads; serializer failures are logged. */
  public static ChannelEnvironment system() {
    return new ChannelEnvironment(
        Deadline.Ticker.system(),
        SharedExecutors.timer(),
        SharedExecutors.cachedPool(),
        SharedExecutors.callbackPool(),
        () -> ThreadLocalRandom.current().nextDouble(),
        (thread, e) ->
            LOG.log(
                System.Logger.Level.ERROR,
                "uncaught exception in a channel's synchronization context",
                e),
        System::getenv);
  }

  /** This environment with another ticker and timer, such as a fake clock's. */
  public ChannelEnvironment withClock(Deadline.Ticker ticker, ScheduledExecutorService timer) {
    return new ChannelEnvironment(
        ticker,
        timer,
        blockingExecutor,
        defaultCallExecutor,
        random,
        uncaughtExceptionHandler,
        environment);
  }

  /** This environment reading environment variables from {@code environment}, such as a map's. */
  public ChannelEnvironment withEnvironment(Function<String, String> environment) {
    return new ChannelEnvironment(
        ticker,
        timer,
        blockingExecutor,
        defaultCallExecutor,
        random,
        uncaughtExceptionHandler,
        environment);
  }
}
