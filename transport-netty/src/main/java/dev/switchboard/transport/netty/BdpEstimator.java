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
 *
 * <p>A sample that does not grow the window is followed by a pause of {@code 1/}{@link
 * #PAUSE_DIVISOR} of the window in received bytes before the next PING. A peer that could fill the
 * window sends that much in well under a round trip, so growth is delayed by less than one; a
 * connection of small calls, whose samples never grow anything, no longer pays a PING (and its peer
 * an acknowledgement) every round trip: at 5 bytes of DATA per empty unary call and a 1 MiB window,
 * one PING per 52k calls instead of one per read.
 */
final class BdpEstimator {
  /** A sample of at least 2/3 of the window may mean the window limits the peer. */
  static final int GROWTH_NUMERATOR = 2;

  /** See {@link #GROWTH_NUMERATOR}. */
  static final int GROWTH_DENOMINATOR = 3;

  /** After a sample that did not grow the window, a quarter of the window is received unsampled. */
  static final int PAUSE_DIVISOR = 4;

  private final int maxWindow;

  private int window;
  private boolean pinging;
  private long sample;
  private long pingSentNanos;
  private double bandwidthAtGrowth; // bytes per nanosecond of the sample that last grew the window
  private long pauseBytes; // to receive before the next sample

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
    if (pauseBytes > 0) {
      pauseBytes -= bytes;
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
    int grown = (int) Math.min(maxWindow, 2 * sample);
    if (sample * GROWTH_DENOMINATOR < (long) window * GROWTH_NUMERATOR
        || bandwidth <= bandwidthAtGrowth
        || grown <= window) {
      pauseBytes = window / PAUSE_DIVISOR;
      return 0;
    }
    bandwidthAtGrowth = bandwidth;
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
