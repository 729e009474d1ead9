package dev.switchboard.transport.netty;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.WireFormat;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import java.util.Map;
import java.util.Set;

/**
 * gRPC's HTTP/2 header blocks: the names and fixed values, building request, response and trailer
 * blocks, and converting between {@link Metadata} and HTTP/2 headers. Stateless.
 *
 * <p>Received headers become metadata minus the protocol's own: pseudo-headers, {@code grpc-*},
 * {@code content-type}, {@code te} and hop-by-hop headers. Entries with invalid keys or values are
 * skipped rather than failing the call.
 */
final class GrpcHeaders {
  static final AsciiString POST = AsciiString.cached("POST");
  static final AsciiString HTTP = AsciiString.cached("http");
  static final AsciiString STATUS_OK = AsciiString.cached("200");
  static final AsciiString TRAILERS = AsciiString.cached("trailers");
  static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
  static final AsciiString CONTENT_TYPE = HttpHeaderNames.CONTENT_TYPE;
  static final AsciiString TE = HttpHeaderNames.TE;
  static final AsciiString USER_AGENT = HttpHeaderNames.USER_AGENT;
  static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  static final AsciiString GRPC_RETRY_PUSHBACK_MS = AsciiString.cached("grpc-retry-pushback-ms");
  static final AsciiString GRPC_PREVIOUS_RPC_ATTEMPTS =
      AsciiString.cached("grpc-previous-rpc-attempts");
  static final AsciiString GRPC_ENCODING = AsciiString.cached("grpc-encoding");
  static final AsciiString GRPC_ACCEPT_ENCODING = AsciiString.cached("grpc-accept-encoding");
  static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");

  /** {@code grpc-status} values, by code. */
  private static final AsciiString[] STATUS_CODES = statusCodes();

  private static final String GRPC_PREFIX = "grpc-";
  private static final Set<String> PROTOCOL_HEADERS =
      Set.of(
          "content-type",
          "te",
          "host",
          "connection",
          "transfer-encoding",
          "upgrade",
          "keep-alive",
          "proxy-connection");

  private GrpcHeaders() {}

  private static AsciiString[] statusCodes() {
    Status.Code[] codes = Status.Code.values();
    AsciiString[] values = new AsciiString[codes.length];
    for (Status.Code code : codes) {
      values[code.value()] = AsciiString.cached(Integer.toString(code.value()));
    }
    return values;
  }

  /** {@code application/grpc} for the proto codec, {@code application/grpc+<codec>} otherwise. */
  static CharSequence contentType(String codecName) {
    return MethodDescriptor.DEFAULT_CODEC.equals(codecName)
        ? APPLICATION_GRPC
        : "application/grpc+" + codecName;
  }

  /** True for {@code application/grpc}, optionally followed by {@code +subtype} or {@code ;...}. */
  static boolean isGrpcContentType(CharSequence contentType) {
    if (contentType == null) {
      return false;
    }
    int n = APPLICATION_GRPC.length();
    if (contentType.length() < n
        || !AsciiString.regionMatches(contentType, true, 0, APPLICATION_GRPC, 0, n)) {
      return false;
    }
    if (contentType.length() == n) {
      return true;
    }
    char next = contentType.charAt(n);
    return next == '+' || next == ';';
  }

  /** The subtype of a gRPC content type ({@code proto} for {@code application/grpc+proto}). */
  static String contentSubtype(CharSequence contentType) {
    int n = APPLICATION_GRPC.length();
    if (contentType.length() <= n || contentType.charAt(n) != '+') {
      return "";
    }
    int end = n + 1;
    while (end < contentType.length() && contentType.charAt(end) != ';') {
      end++;
    }
    return contentType.subSequence(n + 1, end).toString().trim().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * A client's request headers; protocol headers first, then {@code metadata}. Read-only (a flat
   * array of {@link AsciiString}s: no hash table per call); values that repeat are interned by
   * {@link AsciiInterner}.
   *
   * @param timeout {@code grpc-timeout}, or null
   * @param encoding {@code grpc-encoding}, or null for identity
   * @param previousAttempts {@code grpc-previous-rpc-attempts} when above 0
   */
  static Http2Headers requestHeaders(
      CharSequence path,
      CharSequence authority,
      CharSequence contentType,
      CharSequence userAgent,
      CharSequence timeout,
      CharSequence encoding,
      CharSequence acceptEncoding,
      int previousAttempts,
      Metadata metadata) {
    int entries =
        4
            + (timeout != null ? 1 : 0)
            + (encoding != null ? 1 : 0)
            + (previousAttempts > 0 ? 1 : 0)
            + metadataEntries(metadata, true);
    AsciiString[] h = new AsciiString[2 * entries];
    int n = 0;
    n = put(h, n, CONTENT_TYPE, AsciiInterner.SHARED.intern(contentType));
    n = put(h, n, TE, TRAILERS);
    n = put(h, n, USER_AGENT, AsciiInterner.SHARED.intern(userAgent));
    if (timeout != null) {
      n = put(h, n, GRPC_TIMEOUT, AsciiInterner.convert(timeout));
    }
    if (encoding != null) {
      n = put(h, n, GRPC_ENCODING, AsciiInterner.SHARED.intern(encoding));
    }
    n = put(h, n, GRPC_ACCEPT_ENCODING, AsciiInterner.SHARED.intern(acceptEncoding));
    if (previousAttempts > 0) {
      n = put(h, n, GRPC_PREVIOUS_RPC_ATTEMPTS, AsciiString.of(Integer.toString(previousAttempts)));
    }
    putMetadata(h, n, metadata, true);
    return ReadOnlyHttp2Headers.clientHeaders(
        false,
        POST,
        AsciiInterner.SHARED.intern(path),
        HTTP,
        AsciiInterner.SHARED.intern(authority),
        h);
  }

  /** A server's response headers (read-only, as {@link #requestHeaders}). */
  static Http2Headers responseHeaders(
      CharSequence encoding, CharSequence acceptEncoding, Metadata metadata) {
    int entries = 2 + (encoding != null ? 1 : 0) + metadataEntries(metadata, false);
    AsciiString[] h = new AsciiString[2 * entries];
    int n = 0;
    n = put(h, n, CONTENT_TYPE, APPLICATION_GRPC);
    if (encoding != null) {
      n = put(h, n, GRPC_ENCODING, AsciiInterner.SHARED.intern(encoding));
    }
    n = put(h, n, GRPC_ACCEPT_ENCODING, AsciiInterner.SHARED.intern(acceptEncoding));
    putMetadata(h, n, metadata, false);
    return ReadOnlyHttp2Headers.serverHeaders(false, STATUS_OK, h);
  }

  /**
   * A server's trailers (read-only, as {@link #requestHeaders}); with {@code trailersOnly} also
   * {@code :status} and {@code content-type}, for a response that sends no headers or messages.
   */
  static Http2Headers trailers(Status status, Metadata metadata, boolean trailersOnly) {
    int entries =
        (trailersOnly ? 1 : 0)
            + 1
            + (status.getDescription() != null ? 1 : 0)
            + metadataEntries(metadata, false);
    AsciiString[] h = new AsciiString[2 * entries];
    int n = 0;
    if (trailersOnly) {
      n = put(h, n, CONTENT_TYPE, APPLICATION_GRPC);
    }
    n = put(h, n, GRPC_STATUS, STATUS_CODES[status.getCode().value()]);
    if (status.getDescription() != null) {
      n =
          put(
              h,
              n,
              GRPC_MESSAGE,
              AsciiInterner.convert(WireFormat.encodeStatusMessage(status.getDescription())));
    }
    putMetadata(h, n, metadata, false);
    return trailersOnly
        ? ReadOnlyHttp2Headers.serverHeaders(false, STATUS_OK, h)
        : ReadOnlyHttp2Headers.trailers(false, h);
  }

  private static int put(AsciiString[] h, int n, AsciiString name, AsciiString value) {
    h[n] = name;
    h[n + 1] = value;
    return n + 2;
  }

  /** Appends {@code metadata}, binary values base64-encoded, skipping reserved keys. */
  private static int putMetadata(AsciiString[] h, int n, Metadata metadata, boolean request) {
    for (int i = 0; i < metadata.size(); i++) {
      String key = metadata.keyAt(i);
      if (skipped(key, request)) {
        continue;
      }
      Object value = metadata.valueAt(i);
      n =
          put(
              h,
              n,
              AsciiInterner.SHARED.intern(key),
              AsciiInterner.convert(
                  value instanceof byte[] bytes
                      ? WireFormat.encodeBinaryHeader(bytes)
                      : (CharSequence) value));
    }
    return n;
  }

  /** How many of {@code metadata}'s entries {@link #putMetadata} appends. */
  private static int metadataEntries(Metadata metadata, boolean request) {
    int count = 0;
    for (int i = 0; i < metadata.size(); i++) {
      if (!skipped(metadata.keyAt(i), request)) {
        count++;
      }
    }
    return count;
  }

  /** Reserved keys, and on requests {@code user-agent}: never let metadata override those. */
  private static boolean skipped(String key, boolean request) {
    return isReserved(key) || (request && USER_AGENT.contentEquals(key));
  }

  /** A trailers-only error response with HTTP status {@code httpStatus}. */
  static Http2Headers errorResponse(int httpStatus, Status status) {
    Http2Headers h = new DefaultHttp2Headers(false, 4);
    h.status(AsciiString.of(Integer.toString(httpStatus)));
    h.add(CONTENT_TYPE, APPLICATION_GRPC);
    addStatus(h, status);
    return h;
  }

  private static void addStatus(Http2Headers h, Status status) {
    h.add(GRPC_STATUS, STATUS_CODES[status.getCode().value()]);
    if (status.getDescription() != null) {
      h.add(GRPC_MESSAGE, WireFormat.encodeStatusMessage(status.getDescription()));
    }
  }

  /** The application metadata in {@code headers}. */
  static Metadata toMetadata(Http2Headers headers) {
    Metadata md = new Metadata();
    for (Map.Entry<CharSequence, CharSequence> e : headers) {
      CharSequence name = e.getKey();
      if (name.length() == 0 || name.charAt(0) == ':' || !isValidKey(name)) {
        continue;
      }
      String key = name.toString();
      if (isReserved(key)
          && !GRPC_RETRY_PUSHBACK_MS.contentEquals(key)
          && !GRPC_PREVIOUS_RPC_ATTEMPTS.contentEquals(key)) {
        continue; // but the retry headers of gRFC A6, which the core and handlers may read
      }
      CharSequence value = e.getValue();
      if (Metadata.isBinaryKey(key)) {
        addBinary(md, key, value.toString());
      } else if (Metadata.isValidAsciiValue(value)) {
        md.putReceived(key, value.toString());
      }
    }
    return md;
  }

  private static void addBinary(Metadata md, String key, String value) {
    int start = 0;
    while (start <= value.length()) {
      int comma = value.indexOf(',', start);
      int end = comma < 0 ? value.length() : comma;
      try {
        md.putReceived(key, WireFormat.decodeBinaryHeader(value.substring(start, end)));
      } catch (IllegalArgumentException e) {
        // Invalid base64 from the peer: drop this value, keep the call.
      }
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
  }

  private static boolean isReserved(String key) {
    return key.startsWith(GRPC_PREFIX) || key.startsWith(":") || PROTOCOL_HEADERS.contains(key);
  }

  private static boolean isValidKey(CharSequence key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
