package dev.switchboard.transport.netty;

/**
 * Estimates a connection's bandwidth-delay product from PING round trips and decides when its
 * inbound windows should grow. No I/O and no clock of its own: {@link BdpPinger} feeds it bytes,
 * times and acknowledgements. Event loop only.
 *
 * <p>A measurement starts with the first DATA received while no PING is outstanding: the caller
 * sends a PING, and every DATA byte until its acknowledgement is the sample. The peer could send no
 * more than one window in that round trip, so a sample of at least {@link #GROWTH_NUMERATOR}/{@link
 * #GROWTH_DENOMINATOR} of the window says the window may be what limits it; if the bandwidth of the
 * sample also beats the bandwidth measured when the window last grew, the window becomes twice the
 * sample, capped at the maximum. (The rule of grpc-go's and grpc-java's estimators.) Windows never
 * shrink; at the maximum, measuring stops. Counting is two field updates, no allocation.
 */
final class BdpEstimator {
  /** A sample of at least 2/3 of the window may mean the window limits the peer. */
  static final int GROWTH_NUMERATOR = 2;

  /** See {@link #GROWTH_NUMERATOR}. */
  static final int GROWTH_DENOMINATOR = 3;

  private final int maxWindow;

  private int window;
  private boolean pinging;
  private long sample;
  private long pingSentNanos;
  private double bandwidthAtGrowth; // bytes per nanosecond of the sample that last grew the window

  /**
   * @param window the window the connection starts with
   * @param maxWindow the largest window to grow to; at or below {@code window}, no growth
   */
  BdpEstimator(int window, int maxWindow) {
    this.window = window;
    this.maxWindow = maxWindow;
  }

  /**
   * DATA of {@code bytes} (payload and padding) arrived.
   *
   * @return whether to send a BDP PING now, then report it with {@link #pingSent(long)}
   */
  boolean dataReceived(int bytes) {
    if (pinging) {
      sample += bytes;
      return false;
    }
    if (window >= maxWindow) {
      return false;
    }
    pinging = true;
    sample = bytes;
    return true;
  }

  /** The PING asked for by {@link #dataReceived(int)} was written at {@code nanoTime}. */
  void pingSent(long nanoTime) {
    pingSentNanos = nanoTime;
  }

  /**
   * The BDP PING's acknowledgement arrived at {@code nanoTime}: the sample is complete.
   *
   * @return the new, larger window to advertise, or 0 to keep the current one
   */
  int pingAcked(long nanoTime) {
    if (!pinging) {
      return 0; // not ours to measure (or a duplicate acknowledgement)
    }
    pinging = false;
    long rtt = Math.max(1, nanoTime - pingSentNanos);
    double bandwidth = (double) sample / rtt;
    if (sample * GROWTH_DENOMINATOR < (long) window * GROWTH_NUMERATOR
        || bandwidth <= bandwidthAtGrowth) {
      return 0;
    }
    bandwidthAtGrowth = bandwidth;
    int grown = (int) Math.min(maxWindow, 2 * sample);
    if (grown <= window) {
      return 0;
    }
    window = grown;
    return window;
  }

  /** {@return the current window estimate} */
  int window() {
    return window;
  }

  /** {@return whether a BDP PING is outstanding} */
  boolean pinging() {
    return pinging;
  }
}
