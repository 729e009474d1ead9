package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;

/**
 * A request whose headers failed one of {@link RequestHead}'s checks, with the trailers-only
 * response it gets. Carries no stack trace: a peer may send many, and none is a fault of ours.
 */
final class RequestRejected extends Exception {
  private static final long serialVersionUID = 1L;

  /** The response's {@code :status}. */
  final int httpStatus;

  /** The response's {@code grpc-status} and {@code grpc-message}. */
  final transient Status status;

  /** The response's {@code grpc-accept-encoding}; null to send none. */
  final String acceptEncoding;

  RequestRejected(int httpStatus, Status status, String acceptEncoding) {
    super(status.getDescription(), null, false, false);
    this.httpStatus = httpStatus;
    this.status = status;
    this.acceptEncoding = acceptEncoding;
  }
}
