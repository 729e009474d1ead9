package dev.switchboard.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A channel's keepalive (gRFC A8): when a connection has read nothing from its server for {@link
 * #time()}, the client sends an HTTP/2 PING; when nothing (neither the acknowledgement nor any
 * other frame) arrives within {@link #timeout()}, the connection is closed and its calls fail with
 * UNAVAILABLE, and the channel reconnects. Detects dead peers and half-open connections that TCP
 * alone would notice only after minutes or hours. Immutable; set with {@link
 * DialOptions.Builder#keepalive(ClientKeepalive)}.
 *
 * <p>Off by default ({@link #DISABLED}), as in grpc-java and grpc-go. Servers police PINGs: by
 * default a gRPC server tolerates one every 5 minutes while calls are open and none without calls
 * (see {@link ServerOptions.Builder#permitKeepAliveTime(Duration)}); a server that finds the
 * client's PINGs too frequent answers GOAWAY ENHANCE_YOUR_CALM {@code too_many_pings}, and the
 * channel then doubles its keepalive time for its later connections.
 *
 * @since 0.3
 */
public final class ClientKeepalive {
  /** A duration that means "never": keepalive off. The longest {@link Duration} in nanoseconds. */
  public static final Duration INFINITE = Duration.ofNanos(Long.MAX_VALUE);

  /**
   * The shortest keepalive time a connection uses: 10 s, as in grpc-java and grpc-go. Shorter times
   * are raised to it when connections are made.
   */
  public static final Duration MIN_TIME = Duration.ofSeconds(10);

  /** Default time to wait for the PING's acknowledgement: 20 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** Keepalive off: the default of {@link DialOptions}. */
  public static final ClientKeepalive DISABLED = newBuilder().build();

  private final Duration time;
  private final Duration timeout;
  private final boolean permitWithoutCalls;

  private ClientKeepalive(Builder b) {
    time = b.time;
    timeout = b.timeout;
    permitWithoutCalls = b.permitWithoutCalls;
  }

  /**
   * {@return a builder with the defaults: keepalive off ({@link #INFINITE} time), a {@link
   * #DEFAULT_TIMEOUT} timeout, no PINGs without calls}
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * {@return keepalive every {@code time} of silence, with the default timeout, only while calls
   * are open}
   *
   * @param time the keepalive time, positive; see {@link Builder#time(Duration)}
   * @throws IllegalArgumentException when {@code time} is not positive
   */
  public static ClientKeepalive ofTime(Duration time) {
    return newBuilder().time(time).build();
  }

  /**
   * {@return how long a connection may read nothing before the client PINGs the server; {@link
   * #INFINITE} when keepalive is off} Times below {@link #MIN_TIME} are raised to it when
   * connections are made.
   */
  public Duration time() {
    return time;
  }

  /** {@return how long the client waits for any frame after its PING before closing} */
  public Duration timeout() {
    return timeout;
  }

  /**
   * {@return whether the client PINGs connections that have no call open; when not, keepalive runs
   * only while calls are open}
   */
  public boolean permitWithoutCalls() {
    return permitWithoutCalls;
  }

  /** {@return whether keepalive is on: {@link #time()} is not {@link #INFINITE}} */
  public boolean isEnabled() {
    return !time.equals(INFINITE);
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.time = time;
    b.timeout = timeout;
    b.permitWithoutCalls = permitWithoutCalls;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientKeepalive k
        && time.equals(k.time)
        && timeout.equals(k.timeout)
        && permitWithoutCalls == k.permitWithoutCalls;
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, timeout, permitWithoutCalls);
  }

  @Override
  public String toString() {
    return isEnabled()
        ? "ClientKeepalive{time="
            + time
            + ", timeout="
            + timeout
            + ", permitWithoutCalls="
            + permitWithoutCalls
            + "}"
        : "ClientKeepalive{off}";
  }

  /** {@return {@code d}, or {@link #INFINITE} when it is longer; checked to be positive} */
  static Duration positiveOrInfinite(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d.compareTo(INFINITE) > 0 ? INFINITE : d;
  }

  /** Builds {@link ClientKeepalive}. Not thread-safe; each setter returns this builder. */
  public static final class Builder {
    private Duration time = INFINITE;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean permitWithoutCalls;

    private Builder() {}

    /**
     * Sets how long a connection may read nothing before the client PINGs the server. Times below
     * {@link #MIN_TIME} (10 s) are raised to it when connections are made; durations longer than
     * {@link #INFINITE} count as {@link #INFINITE}, which turns keepalive off.
     *
     * @param time the keepalive time, positive ({@link #INFINITE}, off, by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code time} is zero or negative
     */
    public Builder time(Duration time) {
      this.time = positiveOrInfinite(time, "time");
      return this;
    }

    /**
     * Sets how long the client waits, after its keepalive PING, for any frame from the server
     * before closing the connection with UNAVAILABLE.
     *
     * @param timeout the timeout, positive ({@link #DEFAULT_TIMEOUT}, 20 s, by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positiveOrInfinite(timeout, "timeout");
      return this;
    }

    /**
     * Sets whether the client PINGs connections that have no call open. Servers refuse such PINGs
     * unless configured to permit them ({@link
     * ServerOptions.Builder#permitKeepAliveWithoutCalls(boolean)}).
     *
     * @param permit whether to PING idle connections ({@code false} by default)
     * @return this builder
     */
    public Builder permitWithoutCalls(boolean permit) {
      this.permitWithoutCalls = permit;
      return this;
    }

    /** {@return new, immutable settings holding what was set} */
    public ClientKeepalive build() {
      return new ClientKeepalive(this);
    }
  }
}
