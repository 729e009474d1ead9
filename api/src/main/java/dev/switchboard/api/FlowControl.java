package dev.switchboard.api;

/**
 * HTTP/2 flow control of a connection's inbound side: the windows a client ({@link
 * DialOptions.Builder#flowControl(FlowControl)}) or server ({@link
 * ServerOptions.Builder#flowControl(FlowControl)}) advertises to its peer, and whether they grow
 * automatically. Immutable.
 *
 * <p>A peer sends at most one window of data per round trip, so a window smaller than the link's
 * bandwidth-delay product (BDP) caps throughput: 1 MiB over a 50 ms round trip is 20 MiB/s at most.
 * With auto-tuning on (the default, as in grpc-go and grpc-java) each connection estimates its BDP:
 * on receiving data it sends a PING and counts the bytes that arrive until the acknowledgement;
 * when that sample fills most of the window and the bandwidth grew, the windows are raised to twice
 * the sample, up to {@link #maxWindow()}. The windows never shrink. A connection stops sending such
 * PINGs once it reaches the maximum.
 *
 * <p>Windows bound memory: a peer may send up to the connection window of data the application has
 * not read yet (the stream window per call). Raise them, or the maximum, only as far as that memory
 * is acceptable.
 *
 * @since 0.3
 */
public final class FlowControl {
  /** The smallest window: HTTP/2's initial 65,535 bytes. */
  public static final int MIN_WINDOW = 65_535;

  /** The largest window HTTP/2 allows: 2<sup>31</sup>-1 bytes. */
  public static final int MAX_WINDOW = Integer.MAX_VALUE;

  /** Default initial stream and connection window: 1 MiB, as in grpc-java. */
  public static final int DEFAULT_WINDOW = 1 << 20;

  /** Default largest window auto-tuning may reach: 16 MiB, as in grpc-go. */
  public static final int DEFAULT_MAX_WINDOW = 16 << 20;

  /** The defaults: 1 MiB windows, auto-tuned up to 16 MiB. */
  public static final FlowControl DEFAULT = newBuilder().build();

  private final int initialStreamWindow;
  private final int initialConnectionWindow;
  private final boolean autoTune;
  private final int maxWindow;

  private FlowControl(Builder b) {
    initialStreamWindow = b.initialStreamWindow;
    initialConnectionWindow = b.initialConnectionWindow;
    autoTune = b.autoTune;
    maxWindow = b.maxWindow;
  }

  /**
   * {@return a builder with the defaults: {@link #DEFAULT_WINDOW} windows, auto-tuning on, up to
   * {@link #DEFAULT_MAX_WINDOW}}
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * {@return fixed windows: stream and connection window {@code window}, no auto-tuning}
   *
   * @param window the window, in bytes, from {@link #MIN_WINDOW} to {@link #MAX_WINDOW}
   * @throws IllegalArgumentException when {@code window} is out of range
   */
  public static FlowControl fixed(int window) {
    return newBuilder()
        .initialStreamWindow(window)
        .initialConnectionWindow(window)
        .autoTune(false)
        .build();
  }

  /** {@return the window of each stream, in bytes, before any auto-tuning} */
  public int initialStreamWindow() {
    return initialStreamWindow;
  }

  /** {@return the window of the connection (all streams together), before any auto-tuning} */
  public int initialConnectionWindow() {
    return initialConnectionWindow;
  }

  /** {@return whether the windows grow from bandwidth-delay product estimates} */
  public boolean autoTune() {
    return autoTune;
  }

  /**
   * {@return the largest window auto-tuning may set, in bytes} Windows configured larger stay as
   * configured.
   */
  public int maxWindow() {
    return maxWindow;
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.initialStreamWindow = initialStreamWindow;
    b.initialConnectionWindow = initialConnectionWindow;
    b.autoTune = autoTune;
    b.maxWindow = maxWindow;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowControl f
        && initialStreamWindow == f.initialStreamWindow
        && initialConnectionWindow == f.initialConnectionWindow
        && autoTune == f.autoTune
        && maxWindow == f.maxWindow;
  }

  @Override
  public int hashCode() {
    int h = initialStreamWindow;
    h = 31 * h + initialConnectionWindow;
    h = 31 * h + Boolean.hashCode(autoTune);
    return 31 * h + maxWindow;
  }

  @Override
  public String toString() {
    return "FlowControl{streamWindow="
        + initialStreamWindow
        + ", connectionWindow="
        + initialConnectionWindow
        + (autoTune ? ", autoTune up to " + maxWindow : ", fixed")
        + "}";
  }

  private static int checkWindow(int window, String name) {
    if (window < MIN_WINDOW) {
      throw new IllegalArgumentException(
          name + " must be at least " + MIN_WINDOW + " bytes: " + window);
    }
    return window;
  }

  /** Builds {@link FlowControl}. Not thread-safe; each setter returns this builder. */
  public static final class Builder {
    private int initialStreamWindow = DEFAULT_WINDOW;
    private int initialConnectionWindow = DEFAULT_WINDOW;
    private boolean autoTune = true;
    private int maxWindow = DEFAULT_MAX_WINDOW;

    private Builder() {}

    /**
     * Sets the window of each stream: how many bytes of one call's messages the peer may send
     * before the application reads them (HTTP/2 SETTINGS_INITIAL_WINDOW_SIZE).
     *
     * @param window bytes, from {@link #MIN_WINDOW} to {@link #MAX_WINDOW} ({@link #DEFAULT_WINDOW}
     *     by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code window} is below {@link #MIN_WINDOW}
     */
    public Builder initialStreamWindow(int window) {
      initialStreamWindow = checkWindow(window, "initialStreamWindow");
      return this;
    }

    /**
     * Sets the window of the connection: how many bytes of all its calls' messages the peer may
     * send before they are received. The connection window refills as data arrives.
     *
     * @param window bytes, from {@link #MIN_WINDOW} to {@link #MAX_WINDOW} ({@link #DEFAULT_WINDOW}
     *     by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code window} is below {@link #MIN_WINDOW}
     */
    public Builder initialConnectionWindow(int window) {
      initialConnectionWindow = checkWindow(window, "initialConnectionWindow");
      return this;
    }

    /**
     * Sets whether the windows grow from bandwidth-delay product estimates, one PING per round trip
     * while data arrives (servers tolerate them: each follows data they sent).
     *
     * @param autoTune whether to tune ({@code true} by default)
     * @return this builder
     */
    public Builder autoTune(boolean autoTune) {
      this.autoTune = autoTune;
      return this;
    }

    /**
     * Sets the largest window auto-tuning may set; it bounds the memory a connection's unread data
     * may take.
     *
     * @param window bytes, from {@link #MIN_WINDOW} to {@link #MAX_WINDOW} ({@link
     *     #DEFAULT_MAX_WINDOW} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code window} is below {@link #MIN_WINDOW}
     */
    public Builder maxWindow(int window) {
      maxWindow = checkWindow(window, "maxWindow");
      return this;
    }

    /** {@return new, immutable settings holding what was set} */
    public FlowControl build() {
      return new FlowControl(this);
    }
  }
}
