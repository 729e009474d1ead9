package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.SynchronizationContext.ScheduledHandle;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The grace period of one missing provider ({@code DialOptions.providerGrace}): while it runs, the
 * part of the channel that needs the provider behaves as CONNECTING instead of failing calls.
 *
 * <p>An absence starts when {@link #waiting()} is first asked after the provider was found missing,
 * and ends with {@link #found()}; {@code onExpired} runs in the serializer when the grace period of
 * the current absence has passed without {@link #found()}. A later absence gets a new grace period.
 * Serializer only.
 */
final class ProviderGrace {
  private final Duration grace;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService timer;
  private final Deadline.Ticker ticker;
  private final Runnable onExpired;

  // Only touched in the serializer: the current absence.
  private boolean missing;
  private long missingSinceNanos;
  private ScheduledHandle expiry;

  ProviderGrace(
      Duration grace,
      SynchronizationContext syncContext,
      ScheduledExecutorService timer,
      Deadline.Ticker ticker,
      Runnable onExpired) {
    this.grace = grace;
    this.syncContext = syncContext;
    this.timer = timer;
    this.ticker = ticker;
    this.onExpired = onExpired;
  }

  /**
   * The provider is missing: true while its grace period runs (the first call of an absence starts
   * it), false once it has passed.
   */
  boolean waiting() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (!missing) {
      missing = true;
      missingSinceNanos = ticker.nanoTime();
      if (!grace.isZero()) {
        expiry = syncContext.schedule(new Expire(), grace.toNanos(), TimeUnit.NANOSECONDS, timer);
      }
    }
    return expiry != null;
  }

  /** True while an absence is under way, within its grace period or after. */
  boolean isMissing() {
    return missing;
  }

  /** How long the current absence has lasted; zero when there is none. */
  Duration missingFor() {
    return missing ? Duration.ofNanos(ticker.nanoTime() - missingSinceNanos) : Duration.ZERO;
  }

  Duration grace() {
    return grace;
  }

  /** The provider is there (again): the absence, if any, is over. */
  void found() {
    cancel();
    missing = false;
  }

  /** Stops the timer for good: the channel is closing. */
  void cancel() {
    if (expiry != null) {
      expiry.cancel();
      expiry = null;
    }
  }

  /** The grace period of the current absence has passed. */
  private final class Expire implements Runnable {
    @Override
    public void run() {
      expiry = null;
      onExpired.run();
    }
  }
}
