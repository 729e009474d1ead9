package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;
import dev.switchboard.api.transport.WireFormat;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * How a client derives a call's {@link Status} from what the server sent: {@code grpc-status} and
 * {@code grpc-message} when present, else the HTTP status (gRPC's http-grpc-status-mapping), and
 * RST_STREAM error codes (PROTOCOL-HTTP2). Stateless.
 */
final class StatusMapping {
  private StatusMapping() {}

  /** The gRPC status for an HTTP status of a response that carried no {@code grpc-status}. */
  static Status fromHttpStatus(int httpStatus) {
    // Built from Status constants, never Status.Code, so Status initializes first (see
    // Status's class initialization order).
    Status status;
    if (httpStatus >= 100 && httpStatus < 200) {
      status = Status.INTERNAL;
    } else {
      status =
          switch (httpStatus) {
            case 400, 431 -> Status.INTERNAL;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.UNIMPLEMENTED;
            case 429, 502, 503, 504 -> Status.UNAVAILABLE;
            default -> Status.UNKNOWN;
          };
    }
    return status.withDescription("HTTP status code " + httpStatus);
  }

  /** The gRPC status for a RST_STREAM from the server. */
  static Status fromRstStream(long errorCode) {
    Http2Error error = Http2Error.valueOf(errorCode);
    if (error == null) {
      return Status.UNKNOWN.withDescription("RST_STREAM with unknown error code " + errorCode);
    }
    Status status =
        switch (error) {
          case REFUSED_STREAM -> Status.UNAVAILABLE;
          case CANCEL -> Status.CANCELLED;
          case ENHANCE_YOUR_CALM -> Status.RESOURCE_EXHAUSTED;
          case INADEQUATE_SECURITY -> Status.PERMISSION_DENIED;
          default -> Status.INTERNAL;
        };
    return status.withDescription("RST_STREAM received: " + error);
  }

  /**
   * Checks response headers (not trailers-only): {@code :status} must be 200 and the content type
   * gRPC's. Returns the failure status, or {@code null} when they are fine.
   */
  static Status checkResponseHeaders(Http2Headers headers) {
    CharSequence contentType = headers.get(GrpcHeaders.CONTENT_TYPE);
    int httpStatus = httpStatus(headers);
    if (httpStatus < 0) {
      return Status.INTERNAL.withDescription("response has no valid :status");
    }
    if (httpStatus != 200) {
      return fromHttpStatus(httpStatus).augmentDescription("content-type: " + contentType);
    }
    if (!GrpcHeaders.isGrpcContentType(contentType)) {
      return Status.UNKNOWN.withDescription("invalid content-type: " + contentType);
    }
    return null;
  }

  /** The status of a trailers-only response. */
  static Status fromTrailersOnly(Http2Headers headers) {
    if (headers.contains(GrpcHeaders.GRPC_STATUS)) {
      return fromTrailers(headers);
    }
    int httpStatus = httpStatus(headers);
    if (httpStatus < 0) {
      return Status.INTERNAL.withDescription("response has no valid :status");
    }
    if (httpStatus != 200) {
      return fromHttpStatus(httpStatus).augmentDescription("missing grpc-status");
    }
    return Status.UNKNOWN.withDescription("missing grpc-status in trailers-only response");
  }

  /** The status in trailers. */
  static Status fromTrailers(Http2Headers trailers) {
    CharSequence value = trailers.get(GrpcHeaders.GRPC_STATUS);
    if (value == null) {
      return Status.UNKNOWN.withDescription("missing grpc-status in trailers");
    }
    int code = parseNonNegative(value);
    if (code < 0) {
      return Status.UNKNOWN.withDescription("invalid grpc-status: " + value);
    }
    Status status = Status.fromCodeValue(code);
    CharSequence message = trailers.get(GrpcHeaders.GRPC_MESSAGE);
    return message == null
        ? status
        : status.withDescription(WireFormat.decodeStatusMessage(message.toString()));
  }

  private static int httpStatus(Http2Headers headers) {
    CharSequence status = headers.status();
    return status == null || status.length() != 3 ? -1 : parseNonNegative(status);
  }

  private static int parseNonNegative(CharSequence s) {
    if (s.length() == 0 || s.length() > 9) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
