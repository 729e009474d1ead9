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
  public enum Kind { SUBCONN, NO_RESULT, ERROR, DROP }

  private static final PickResult NO_RESULT = new PickResult(Kind.NO_RESULT, null, Status.OK);

  private final Kind kind;
  private final SubConn subConn;
  private final Status status;

  private PickResult(Kind kind, SubConn subConn, Status status) {
    this.kind = kind;
    this.subConn = subConn;
    this.status = status;
  }

  public static PickResult withSubConn(SubConn subConn) {
    return new PickResult(Kind.SUBCONN, Objects.requireNonNull(subConn, "subConn"), Status.OK);
  }

  public static PickResult withNoResult() {
    return NO_RESULT;
  }

  public static PickResult withError(Status error) {
    if (error.isOk()) {
      throw new IllegalArgumentException("error status must not be OK");
    }
    return new PickResult(Kind.ERROR, null, error);
  }

  public static PickResult withDrop(Status status) {
    if (status.isOk()) {
      throw new IllegalArgumentException("drop status must not be OK");
    }
    return new PickResult(Kind.DROP, null, status);
  }

  public Kind kind() {
    return kind;
  }

  /** The chosen SubConn, or {@code null}. */
  public SubConn subConn() {
    return subConn;
  }

  /** The error or drop status; OK otherwise. */
  public Status status() {
    return status;
  }

  @Override
  public String toString() {
    return "PickResult{" + kind + (subConn != null ? ", " + subConn : "")
        + (status.isOk() ? "" : ", " + status) + "}";
  }
}
