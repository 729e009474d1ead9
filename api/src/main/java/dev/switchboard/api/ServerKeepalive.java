package dev.switchboard.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A server's keepalive (gRFC A8) and connection management (gRFC A9), like grpc-go's {@code
 * keepalive.ServerParameters}. Immutable; set with {@link ServerOptions.Builder#keepalive}.
 *
 * <ul>
 *   <li>Keepalive: when a connection has read nothing from its client for {@link #time()}, the
 *       server sends a PING; when nothing arrives within {@link #timeout()}, the connection is
 *       closed (its calls fail).
 *   <li>{@link #maxConnectionIdle()}: a connection without calls for that long is closed
 *       gracefully.
 *   <li>{@link #maxConnectionAge()}: a connection is closed gracefully once it is that old, give or
 *       take a random 10 % so that a fleet of clients does not reconnect at once; calls still open
 *       get {@link #maxConnectionAgeGrace()} more to finish, then the connection is closed.
 * </ul>
 *
 * <p>A graceful close sends GOAWAY twice: first with the largest stream id and a PING, so calls the
 * client is starting meanwhile are still accepted, then, once the PING is acknowledged (or after 10
 * s), with the id of the last call accepted. Calls already open finish normally; the client opens
 * new ones on a new connection. How often clients may PING is set apart, by {@link
 * ServerOptions.Builder#permitKeepAliveTime(Duration)} and {@link
 * ServerOptions.Builder#permitKeepAliveWithoutCalls(boolean)}.
 *
 * @since 0.3
 */
public final class ServerKeepalive {
  /** A duration that means "never": the longest {@link Duration} in nanoseconds. */
  public static final Duration INFINITE = ClientKeepalive.INFINITE;

  /** Default time without reads before the server PINGs a client: 2 hours. */
  public static final Duration DEFAULT_TIME = Duration.ofHours(2);

  /** Default time to wait for the PING's acknowledgement: 20 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** The defaults: a PING after 2 hours without reads, 20 s to answer it, no idle or age limit. */
  public static final ServerKeepalive DEFAULT = newBuilder().build();

  private final Duration time;
  private final Duration timeout;
  private final Duration maxConnectionIdle;
  private final Duration maxConnectionAge;
  private final Duration maxConnectionAgeGrace;

  private ServerKeepalive(Builder b) {
    time = b.time;
    timeout = b.timeout;
    maxConnectionIdle = b.maxConnectionIdle;
    maxConnectionAge = b.maxConnectionAge;
    maxConnectionAgeGrace = b.maxConnectionAgeGrace;
  }

  /** {@return a builder holding the defaults of {@link #DEFAULT}} */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.time = time;
    b.timeout = timeout;
    b.maxConnectionIdle = maxConnectionIdle;
    b.maxConnectionAge = maxConnectionAge;
    b.maxConnectionAgeGrace = maxConnectionAgeGrace;
    return b;
  }

  /**
   * {@return how long a connection may read nothing before the server PINGs the client; {@link
   * #INFINITE} for never}
   */
  public Duration time() {
    return time;
  }

  /** {@return how long the server waits for any frame after its PING before closing} */
  public Duration timeout() {
    return timeout;
  }

  /**
   * {@return how long a connection may stay without calls before it is closed gracefully; {@link
   * #INFINITE} for no limit}
   */
  public Duration maxConnectionIdle() {
    return maxConnectionIdle;
  }

  /**
   * {@return the age, ±10 %, at which a connection is closed gracefully; {@link #INFINITE} for no
   * limit}
   */
  public Duration maxConnectionAge() {
    return maxConnectionAge;
  }

  /**
   * {@return how long calls open when {@link #maxConnectionAge()} is reached may still run before
   * the connection is closed; {@link #INFINITE} to wait for them however long}
   */
  public Duration maxConnectionAgeGrace() {
    return maxConnectionAgeGrace;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerKeepalive k
        && time.equals(k.time)
        && timeout.equals(k.timeout)
        && maxConnectionIdle.equals(k.maxConnectionIdle)
        && maxConnectionAge.equals(k.maxConnectionAge)
        && maxConnectionAgeGrace.equals(k.maxConnectionAgeGrace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, timeout, maxConnectionIdle, maxConnectionAge, maxConnectionAgeGrace);
  }

  @Override
  public String toString() {
    return "ServerKeepalive{time="
        + show(time)
        + ", timeout="
        + show(timeout)
        + ", maxConnectionIdle="
        + show(maxConnectionIdle)
        + ", maxConnectionAge="
        + show(maxConnectionAge)
        + ", maxConnectionAgeGrace="
        + show(maxConnectionAgeGrace)
        + "}";
  }

  private static String show(Duration d) {
    return d.equals(INFINITE) ? "INFINITE" : d.toString();
  }

  /** Builds {@link ServerKeepalive}. Not thread-safe; each setter returns this builder. */
  public static final class Builder {
    private Duration time = DEFAULT_TIME;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration maxConnectionIdle = INFINITE;
    private Duration maxConnectionAge = INFINITE;
    private Duration maxConnectionAgeGrace = INFINITE;

    private Builder() {}

    /**
     * Sets how long a connection may read nothing before the server PINGs the client. Durations
     * longer than {@link #INFINITE} count as {@link #INFINITE}, which turns the server's PINGs off.
     *
     * @param time the keepalive time, positive ({@link #DEFAULT_TIME}, 2 hours, by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code time} is zero or negative
     */
    public Builder time(Duration time) {
      this.time = ClientKeepalive.positiveOrInfinite(time, "time");
      return this;
    }

    /**
     * Sets how long the server waits, after its keepalive PING, for any frame from the client
     * before closing the connection.
     *
     * @param timeout the timeout, positive ({@link #DEFAULT_TIMEOUT}, 20 s, by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public Builder timeout(Duration timeout) {
      this.timeout = ClientKeepalive.positiveOrInfinite(timeout, "timeout");
      return this;
    }

    /**
     * Sets how long a connection may stay without calls (since it was made, or since its last call
     * ended) before it is closed gracefully.
     *
     * @param idle the limit, positive ({@link #INFINITE}, no limit, by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code idle} is zero or negative
     */
    public Builder maxConnectionIdle(Duration idle) {
      this.maxConnectionIdle = ClientKeepalive.positiveOrInfinite(idle, "maxConnectionIdle");
      return this;
    }

    /**
     * Sets the age at which a connection is closed gracefully, randomized by ±10 % per connection
     * so that clients do not all reconnect at once.
     *
     * @param age the limit, positive ({@link #INFINITE}, no limit, by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code age} is zero or negative
     */
    public Builder maxConnectionAge(Duration age) {
      this.maxConnectionAge = ClientKeepalive.positiveOrInfinite(age, "maxConnectionAge");
      return this;
    }

    /**
     * Sets how long calls still open when {@link #maxConnectionAge(Duration)} is reached may run
     * before the connection is closed, failing them.
     *
     * @param grace the grace, zero or more ({@link #INFINITE}, wait for the calls however long, by
     *     default)
     * @return this builder
     * @throws IllegalArgumentException when {@code grace} is negative
     */
    public Builder maxConnectionAgeGrace(Duration grace) {
      Objects.requireNonNull(grace, "maxConnectionAgeGrace");
      this.maxConnectionAgeGrace =
          grace.isZero()
              ? grace
              : ClientKeepalive.positiveOrInfinite(grace, "maxConnectionAgeGrace");
      return this;
    }

    /** {@return new, immutable settings holding what was set} */
    public ServerKeepalive build() {
      return new ServerKeepalive(this);
    }
  }
}
