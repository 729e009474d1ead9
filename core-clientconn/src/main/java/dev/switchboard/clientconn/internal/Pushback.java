package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Metadata;
import java.util.concurrent.TimeUnit;

/** The server's {@code grpc-retry-pushback-ms} in a failed attempt's trailers (gRFC A6). */
final class Pushback {
  /** The trailer's name. */
  static final String KEY = "grpc-retry-pushback-ms";

  /** No pushback in the trailers: the policy decides. */
  static final long ABSENT = Long.MIN_VALUE;

  /** A negative or malformed pushback: the server says do not try again. */
  static final long STOP = -1;

  private Pushback() {}

  /**
   * {@return the delay the server asks for, in nanoseconds; or {@link #ABSENT} or {@link #STOP}}
   */
  static long nanos(Metadata trailers) {
    String value = trailers.get(KEY);
    if (value == null) {
      return ABSENT;
    }
    try {
      long millis = Long.parseLong(value.trim());
      return millis < 0 ? STOP : TimeUnit.MILLISECONDS.toNanos(millis);
    } catch (NumberFormatException e) {
      return STOP;
    }
  }
}
