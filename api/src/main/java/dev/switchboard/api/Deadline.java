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

  /** A monotonic nanosecond source. */
  @FunctionalInterface
  public interface Ticker {
    long nanoTime();

    /** {@link System#nanoTime()}. */
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

  /** A deadline {@code duration} from now on the system ticker. */
  public static Deadline after(long duration, TimeUnit unit) {
    return after(duration, unit, Ticker.system());
  }

  /** A deadline {@code duration} from now on {@code ticker}. */
  public static Deadline after(long duration, TimeUnit unit, Ticker ticker) {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(ticker, "ticker");
    long nanos = Math.max(-MAX_NANOS, Math.min(MAX_NANOS, unit.toNanos(duration)));
    return new Deadline(ticker, ticker.nanoTime() + nanos);
  }

  /** Remaining time, negative when expired. */
  public long timeRemaining(TimeUnit unit) {
    long nanos = deadlineNanos - ticker.nanoTime();
    return unit.convert(nanos, TimeUnit.NANOSECONDS);
  }

  public boolean isExpired() {
    return deadlineNanos - ticker.nanoTime() <= 0;
  }

  /** True when this deadline is before {@code other}. Both must use the same ticker. */
  public boolean isBefore(Deadline other) {
    return compareTo(other) < 0;
  }

  /** The earlier of the two. */
  public Deadline minimum(Deadline other) {
    return isBefore(other) ? this : other;
  }

  public Ticker ticker() {
    return ticker;
  }

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
