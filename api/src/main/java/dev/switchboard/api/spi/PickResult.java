package dev.switchboard.api.spi;

import dev.switchboard.api.Status;
import java.util.Objects;

/**
 * The outcome of a pick: a SubConn to use; no result yet (the call waits for the next picker); an
 * error (fails the call unless it is wait-for-ready); or a drop (fails the call even when
 * wait-for-ready). Immutable; build with the factories.
 *
 * @since 0.1
 */
public final class PickResult {
  /** The kinds of pick outcome. */
  public enum Kind {
    /** Use this SubConn; when it is not READY (any more), the call waits for the next picker. */
    SUBCONN,
    /** No decision yet: the call waits for the next picker. */
    NO_RESULT,
    /** Fails the call with the status, unless it waits for ready (then it waits). */
    ERROR,
    /** Fails the call with the status, even when it waits for ready. */
    DROP
  }

  private static final PickResult NO_RESULT = new PickResult(Kind.NO_RESULT, null, Status.OK);

  private final Kind kind;
  private final SubConn subConn;
  private final Status status;

  private PickResult(Kind kind, SubConn subConn, Status status) {
    this.kind = kind;
    this.subConn = subConn;
    this.status = status;
  }

  /**
   * {@return a result that sends the call on {@code subConn}}
   *
   * @param subConn a SubConn this balancer created on the channel, not null
   */
  public static PickResult withSubConn(SubConn subConn) {
    return new PickResult(Kind.SUBCONN, Objects.requireNonNull(subConn, "subConn"), Status.OK);
  }

  /** {@return the result that makes the call wait for the next picker, a singleton} */
  public static PickResult withNoResult() {
    return NO_RESULT;
  }

  /**
   * {@return a result that fails the call with {@code error}, unless it waits for ready}
   *
   * @param error the status, not OK; usually UNAVAILABLE with the connection error
   * @throws IllegalArgumentException when {@code error} is OK
   */
  public static PickResult withError(Status error) {
    if (error.isOk()) {
      throw new IllegalArgumentException("error status must not be OK");
    }
    return new PickResult(Kind.ERROR, null, error);
  }

  /**
   * {@return a result that fails the call with {@code status}, even when it waits for ready}
   *
   * @param status the status, not OK
   * @throws IllegalArgumentException when {@code status} is OK
   */
  public static PickResult withDrop(Status status) {
    if (status.isOk()) {
      throw new IllegalArgumentException("drop status must not be OK");
    }
    return new PickResult(Kind.DROP, null, status);
  }

  /** {@return the kind of outcome} */
  public Kind kind() {
    return kind;
  }

  /** {@return the chosen SubConn, or {@code null} unless the kind is {@link Kind#SUBCONN}} */
  public SubConn subConn() {
    return subConn;
  }

  /** {@return the error or drop status; OK for the other kinds} */
  public Status status() {
    return status;
  }

  @Override
  public String toString() {
    return "PickResult{"
        + kind
        + (subConn != null ? ", " + subConn : "")
        + (status.isOk() ? "" : ", " + status)
        + "}";
  }
}
