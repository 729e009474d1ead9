package dev.switchboard.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An unchecked exception carrying a {@link Status} and optional trailers; thrown by blocking call
 * helpers.
 *
 * @since 0.1
 */
@ProviderType
public class StatusRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Status status;
  private final transient Metadata trailers;

  /**
   * Creates an exception with no trailers. The message is the code and description; the cause is
   * the status's cause.
   *
   * @param status the status, not null
   */
  public StatusRuntimeException(Status status) {
    this(status, null);
  }

  /**
   * Creates an exception with trailers. The message is the code and description; the cause is the
   * status's cause.
   *
   * @param status the status, not null
   * @param trailers the trailers, or {@code null}; a service method that passes this exception to
   *     {@code onError} sends them with the status
   */
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

  /** {@return the status, never null} */
  public final Status getStatus() {
    return status;
  }

  /**
   * {@return the trailers, or {@code null}} On the client they are the trailers received with the
   * status.
   */
  public final Metadata getTrailers() {
    return trailers;
  }
}
