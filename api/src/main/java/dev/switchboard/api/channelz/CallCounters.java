package dev.switchboard.api.channelz;

import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls started, succeeded and failed, and when the last one started: kept by a channel (or server)
 * for channelz.
 *
 * <p>Thread-safe and cheap: {@link #callStarted()} and {@link #callEnded(boolean)} take no lock and
 * allocate nothing ({@link LongAdder}s, so concurrent callers do not contend on one counter). The
 * start time is read from the clock once per call and written only when its millisecond differs
 * from the last one written, so a busy channel writes that shared field at most once a millisecond.
 * {@link #snapshot()} reads racily: each count is exact once the calls counted have ended.
 *
 * @since 0.3
 */
public final class CallCounters {
  private final InstantSource clock;
  private final LongAdder started = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private volatile long lastStartedMillis;

  /** Counters on the system clock. */
  public CallCounters() {
    this(InstantSource.system());
  }

  /**
   * Counters reading start times from {@code clock}; tests pass a fake.
   *
   * @param clock the wall clock, not null
   */
  public CallCounters(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A call started. Any thread. */
  public void callStarted() {
    started.increment();
    long now = clock.millis();
    if (lastStartedMillis != now) {
      lastStartedMillis = now;
    }
  }

  /**
   * A call ended. Any thread.
   *
   * @param ok whether its status was OK
   */
  public void callEnded(boolean ok) {
    (ok ? succeeded : failed).increment();
  }

  /** {@return the counts now} */
  public CallStats snapshot() {
    // Ends first: a call counted as ended is then never missing from started.
    long ok = succeeded.sum();
    long ko = failed.sum();
    return new CallStats(started.sum(), ok, ko, lastStartedMillis);
  }
}
