package dev.switchboard.api;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An absolute point in time, measured on a {@link Ticker}, by which a call must finish. Immutable.
 *
 * <p>Tests use a fake ticker; production code uses {@link Ticker#system()}.
 *
 * @since 0.1
 */
public final class Deadline implements Comparable<Deadline> {
  // Far enough to never overflow when added to nanoTime(); ~ 73 years.
  private static final long MAX_NANOS = TimeUnit.DAYS.toNanos(365L * 73);

  /** A monotonic nanosecond source. Implementations must be thread-safe. */
  @FunctionalInterface
  public interface Ticker {
    /**
     * {@return the current time in nanoseconds from an arbitrary origin} Only differences between
     * two readings mean something, as with {@link System#nanoTime()}.
     */
    long nanoTime();

    /** {@return the ticker reading {@link System#nanoTime()}, a singleton} */
    static Ticker system() {
      return SystemTicker.INSTANCE;
    }
  }

  private enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }
  }

  private final Ticker ticker;
  private final long deadlineNanos;

  private Deadline(Ticker ticker, long deadlineNanos) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * {@return a deadline {@code duration} from now on the system ticker}
   *
   * @param duration how long from now; zero or negative gives an expired deadline; clamped to about
   *     73 years either way
   * @param unit the unit of {@code duration}
   */
  public static Deadline after(long duration, TimeUnit unit) {
    return after(duration, unit, Ticker.system());
  }

  /**
   * {@return a deadline {@code duration} from now on {@code ticker}} Tests pass a fake ticker.
   *
   * @param duration how long from now; zero or negative gives an expired deadline; clamped to about
   *     73 years either way
   * @param unit the unit of {@code duration}
   * @param ticker the time source, not null
   */
  public static Deadline after(long duration, TimeUnit unit, Ticker ticker) {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(ticker, "ticker");
    long nanos = Math.max(-MAX_NANOS, Math.min(MAX_NANOS, unit.toNanos(duration)));
    return new Deadline(ticker, ticker.nanoTime() + nanos);
  }

  /**
   * {@return the time left, negative once expired} Truncated towards zero in {@code unit}.
   *
   * @param unit the unit of the result
   */
  public long timeRemaining(TimeUnit unit) {
    long nanos = deadlineNanos - ticker.nanoTime();
    return unit.convert(nanos, TimeUnit.NANOSECONDS);
  }

  /** {@return whether the deadline has been reached} */
  public boolean isExpired() {
    return deadlineNanos - ticker.nanoTime() <= 0;
  }

  /**
   * {@return whether this deadline is strictly before {@code other}}
   *
   * @param other a deadline on the same ticker
   * @throws IllegalArgumentException when the tickers differ
   */
  public boolean isBefore(Deadline other) {
    return compareTo(other) < 0;
  }

  /**
   * {@return the earlier of this deadline and {@code other}}
   *
   * @param other a deadline on the same ticker
   * @throws IllegalArgumentException when the tickers differ
   */
  public Deadline minimum(Deadline other) {
    return isBefore(other) ? this : other;
  }

  /** {@return the ticker this deadline is measured on} */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Orders deadlines by time, the earlier first.
   *
   * @throws IllegalArgumentException when the tickers differ
   */
  @Override
  public int compareTo(Deadline o) {
    if (o.ticker != ticker) {
      throw new IllegalArgumentException("deadlines on different tickers are not comparable");
    }
    return Long.compare(deadlineNanos - o.deadlineNanos, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline d && d.ticker == ticker && d.deadlineNanos == deadlineNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ticker, deadlineNanos);
  }

  @Override
  public String toString() {
    long ns = timeRemaining(TimeUnit.NANOSECONDS);
    return "Deadline(" + (ns / 1e9) + "s from now)";
  }
}
