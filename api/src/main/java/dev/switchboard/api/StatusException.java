package dev.switchboard.api;

/**
 * A checked exception carrying a {@link Status} and optional trailers.
 *
 * @since 0.1
 */
public class StatusException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Status status;
  private final transient Metadata trailers;

  public StatusException(Status status) {
    this(status, null);
  }

  public StatusException(Status status, Metadata trailers) {
    super(StatusRuntimeException.message(status), status.getCause());
    this.status = status;
    this.trailers = trailers;
  }

  public final Status getStatus() {
    return status;
  }

  /** The trailers received with the status, or {@code null}. */
  public final Metadata getTrailers() {
    return trailers;
  }
}
