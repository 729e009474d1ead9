package dev.switchboard.api;

import java.util.Objects;

/**
 * The outcome of a call: one of the 17 gRPC {@link Code codes}, an optional description and an
 * optional cause. Immutable and thread-safe.
 *
 * <p>{@code Status} is the error currency of Switchboard: SPI methods report failures by returning
 * or passing a {@code Status}; user code sees it inside {@link StatusException} and {@link
 * StatusRuntimeException}. The cause is never sent over the wire.
 *
 * @since 0.1
 */
public final class Status {

  /** The gRPC status codes, with their wire values. */
  public enum Code {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private static final Code[] BY_VALUE = values();
    private final int value;

    Code(int value) {
      // Must not touch Status: either class may be initialized first.
      this.value = value;
    }

    /** The numeric value sent as {@code grpc-status}. */
    public int value() {
      return value;
    }

    /** The status with this code and no description. */
    public Status toStatus() {
      return STATUS_BY_CODE[ordinal()];
    }

    /** The code with this wire value, or {@code null} when it is not one of the 17. */
    public static Code fromValue(int value) {
      return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
  }

  // Built before the constants below, which read it.
  private static final Status[] STATUS_BY_CODE = buildStatuses();

  private static Status[] buildStatuses() {
    Code[] codes = Code.values();
    Status[] out = new Status[codes.length];
    for (Code c : codes) {
      out[c.ordinal()] = new Status(c, null, null);
    }
    return out;
  }

  public static final Status OK = Code.OK.toStatus();
  public static final Status CANCELLED = Code.CANCELLED.toStatus();
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();
  public static final Status ABORTED = Code.ABORTED.toStatus();
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();
  public static final Status INTERNAL = Code.INTERNAL.toStatus();
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();

  private final Code code;
  private final String description;
  private final Throwable cause;

  private Status(Code code, String description, Throwable cause) {
    this.code = code;
    this.description = description;
    this.cause = cause;
  }

  /** The status for a wire value; unknown values map to UNKNOWN with a description saying so. */
  public static Status fromCodeValue(int value) {
    Code code = Code.fromValue(value);
    return code != null ? code.toStatus() : UNKNOWN.withDescription("Unknown code " + value);
  }

  /**
   * The status carried by {@code t} or its causes ({@link StatusException}, {@link
   * StatusRuntimeException}), else UNKNOWN with {@code t} as cause.
   */
  public static Status fromThrowable(Throwable t) {
    Objects.requireNonNull(t, "t");
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException se) {
        return se.getStatus();
      }
      if (c instanceof StatusRuntimeException sre) {
        return sre.getStatus();
      }
    }
    return UNKNOWN.withCause(t);
  }

  public Code getCode() {
    return code;
  }

  /** The human-readable description, or {@code null}. */
  public String getDescription() {
    return description;
  }

  /** The local cause, never sent over the wire; or {@code null}. */
  public Throwable getCause() {
    return cause;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  public Status withDescription(String description) {
    return Objects.equals(this.description, description) ? this : new Status(code, description, cause);
  }

  public Status withCause(Throwable cause) {
    return this.cause == cause ? this : new Status(code, description, cause);
  }

  /** Appends {@code more} to the description, separated by a newline. */
  public Status augmentDescription(String more) {
    if (more == null) {
      return this;
    }
    return new Status(code, description == null ? more : description + "\n" + more, cause);
  }

  public StatusException asException() {
    return new StatusException(this, null);
  }

  public StatusException asException(Metadata trailers) {
    return new StatusException(this, trailers);
  }

  public StatusRuntimeException asRuntimeException() {
    return new StatusRuntimeException(this, null);
  }

  public StatusRuntimeException asRuntimeException(Metadata trailers) {
    return new StatusRuntimeException(this, trailers);
  }

  /** Equality on code and description; causes are not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Status s && s.code == code && Objects.equals(s.description, description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Status{code=").append(code);
    if (description != null) {
      sb.append(", description=").append(description);
    }
    if (cause != null) {
      sb.append(", cause=").append(cause);
    }
    return sb.append('}').toString();
  }
}
