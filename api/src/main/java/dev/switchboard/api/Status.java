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
    /** Success: the only code that is not an error. */
    OK(0),
    /** The call was cancelled, usually by the caller (or by the client's disconnect). */
    CANCELLED(1),
    /** An error with no better code, including exceptions thrown by application code. */
    UNKNOWN(2),
    /** The request is invalid whatever the state of the system (compare FAILED_PRECONDITION). */
    INVALID_ARGUMENT(3),
    /** The deadline expired before the call completed; it may have succeeded on the server. */
    DEADLINE_EXCEEDED(4),
    /** A requested entity (file, row, ...) was not found. */
    NOT_FOUND(5),
    /** The entity a client tried to create already exists. */
    ALREADY_EXISTS(6),
    /** The caller is known but not allowed to do this (compare UNAUTHENTICATED). */
    PERMISSION_DENIED(7),
    /** A quota or resource ran out, such as a message larger than the receiver accepts. */
    RESOURCE_EXHAUSTED(8),
    /** The system is not in the state the operation needs; retrying as is will not help. */
    FAILED_PRECONDITION(9),
    /** The operation was aborted, typically by a concurrency conflict; retry at a higher level. */
    ABORTED(10),
    /** The operation went past a valid range, such as reading past the end of a file. */
    OUT_OF_RANGE(11),
    /** The server does not implement this method (also: unknown service or method). */
    UNIMPLEMENTED(12),
    /** An invariant of the system broke; something is seriously wrong, often a protocol error. */
    INTERNAL(13),
    /**
     * The service is unavailable right now, such as no connection or a connection that broke before
     * the call was sent; usually transient, and safe to retry for idempotent methods.
     */
    UNAVAILABLE(14),
    /** Unrecoverable data loss or corruption. */
    DATA_LOSS(15),
    /** The request has no valid credentials for the operation. */
    UNAUTHENTICATED(16);

    private static final Code[] BY_VALUE = values();
    private final int value;

    Code(int value) {
      // Must not touch Status: either class may be initialized first.
      this.value = value;
    }

    /** {@return the numeric value sent as {@code grpc-status}, 0 to 16} */
    public int value() {
      return value;
    }

    /** {@return the shared status with this code, no description and no cause} */
    public Status toStatus() {
      return STATUS_BY_CODE[ordinal()];
    }

    /**
     * {@return the code with this wire value, or {@code null} when it is not one of the 17}
     *
     * @param value a {@code grpc-status} value
     */
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

  // One constant per code, without description; add one with withDescription(...).

  /** {@link Code#OK} without description. */
  public static final Status OK = Code.OK.toStatus();

  /** {@link Code#CANCELLED} without description. */
  public static final Status CANCELLED = Code.CANCELLED.toStatus();

  /** {@link Code#UNKNOWN} without description. */
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();

  /** {@link Code#INVALID_ARGUMENT} without description. */
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();

  /** {@link Code#DEADLINE_EXCEEDED} without description. */
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();

  /** {@link Code#NOT_FOUND} without description. */
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();

  /** {@link Code#ALREADY_EXISTS} without description. */
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();

  /** {@link Code#PERMISSION_DENIED} without description. */
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();

  /** {@link Code#RESOURCE_EXHAUSTED} without description. */
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();

  /** {@link Code#FAILED_PRECONDITION} without description. */
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();

  /** {@link Code#ABORTED} without description. */
  public static final Status ABORTED = Code.ABORTED.toStatus();

  /** {@link Code#OUT_OF_RANGE} without description. */
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();

  /** {@link Code#UNIMPLEMENTED} without description. */
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();

  /** {@link Code#INTERNAL} without description. */
  public static final Status INTERNAL = Code.INTERNAL.toStatus();

  /** {@link Code#UNAVAILABLE} without description. */
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();

  /** {@link Code#DATA_LOSS} without description. */
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();

  /** {@link Code#UNAUTHENTICATED} without description. */
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();

  private final Code code;
  private final String description;
  private final Throwable cause;

  private Status(Code code, String description, Throwable cause) {
    this.code = code;
    this.description = description;
    this.cause = cause;
  }

  /**
   * {@return the status for a wire value} Values outside 0..16 map to UNKNOWN with a description
   * naming the value.
   *
   * @param value a {@code grpc-status} value as received
   */
  public static Status fromCodeValue(int value) {
    Code code = Code.fromValue(value);
    return code != null ? code.toStatus() : UNKNOWN.withDescription("Unknown code " + value);
  }

  /**
   * {@return the status carried by {@code t} or the first of its causes that is a {@link
   * StatusException} or {@link StatusRuntimeException}, else UNKNOWN with {@code t} as cause}
   *
   * @param t any throwable, not null
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

  /** {@return the code, never null} */
  public Code getCode() {
    return code;
  }

  /**
   * {@return the human-readable description, or {@code null}} It is sent as {@code grpc-message}.
   */
  public String getDescription() {
    return description;
  }

  /** {@return the local cause, or {@code null}} The cause is never sent over the wire. */
  public Throwable getCause() {
    return cause;
  }

  /** {@return whether the code is {@link Code#OK}} */
  public boolean isOk() {
    return code == Code.OK;
  }

  /**
   * {@return this status with its description replaced} The code and cause are kept.
   *
   * @param description the new description, or {@code null} for none
   */
  public Status withDescription(String description) {
    return Objects.equals(this.description, description)
        ? this
        : new Status(code, description, cause);
  }

  /**
   * {@return this status with its cause replaced} The cause stays local: it is never sent.
   *
   * @param cause the new cause, or {@code null} for none
   */
  public Status withCause(Throwable cause) {
    return this.cause == cause ? this : new Status(code, description, cause);
  }

  /**
   * {@return this status with {@code more} appended to the description, after a newline} The
   * description becomes {@code more} when there was none.
   *
   * @param more the text to add; {@code null} returns this status unchanged
   */
  public Status augmentDescription(String more) {
    if (more == null) {
      return this;
    }
    return new Status(code, description == null ? more : description + "\n" + more, cause);
  }

  /** {@return a new checked exception carrying this status and no trailers} */
  public StatusException asException() {
    return new StatusException(this, null);
  }

  /**
   * {@return a new checked exception carrying this status and trailers}
   *
   * @param trailers the trailers to carry, or {@code null}; a service method that passes the
   *     exception to {@code onError} sends them with the status
   */
  public StatusException asException(Metadata trailers) {
    return new StatusException(this, trailers);
  }

  /** {@return a new unchecked exception carrying this status and no trailers} */
  public StatusRuntimeException asRuntimeException() {
    return new StatusRuntimeException(this, null);
  }

  /**
   * {@return a new unchecked exception carrying this status and trailers}
   *
   * @param trailers the trailers to carry, or {@code null}; a service method that passes the
   *     exception to {@code onError} sends them with the status
   */
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
