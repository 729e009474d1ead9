package dev.switchboard.api;

/**
 * An unchecked exception carrying a {@link Status} and optional trailers; thrown by blocking call
 * helpers.
 *
 * @since 0.1
 */
public class StatusRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Status status;
  private final transient Metadata trailers;

  public StatusRuntimeException(Status status) {
    this(status, null);
  }

  public StatusRuntimeException(Status status, Metadata trailers) {
    super(message(status), status.getCause());
    this.status = status;
    this.trailers = trailers;
  }

  static String message(Status status) {
    return status.getDescription() == null
        ? status.getCode().name()
        : status.getCode() + ": " + status.getDescription();
  }

  public final Status getStatus() {
    return status;
  }

  /** The trailers received with the status, or {@code null}. */
  public final Metadata getTrailers() {
    return trailers;
  }
}
