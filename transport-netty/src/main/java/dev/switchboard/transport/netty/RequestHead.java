package dev.switchboard.transport.netty;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Compressor;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.WireFormat;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.TimeUnit;

/**
 * What a new stream's request headers say about its call, once checked: the method, the deadline,
 * the authority, the content subtype and the message encoding with its decompressor.
 *
 * <p>Checks, in order: {@code :method} POST (else HTTP 405), a gRPC {@code content-type} (else
 * 415), a {@code :path} starting with '/' (else 404 UNIMPLEMENTED), a parsable {@code grpc-timeout}
 * (else INTERNAL), a known {@code grpc-encoding} (else UNIMPLEMENTED, with {@code
 * grpc-accept-encoding}). A failed check is a {@link RequestRejected}, which the server answers
 * with a trailers-only response.
 *
 * @param methodName the full method name: the path without its leading '/'
 * @param deadline from {@code grpc-timeout}; null when the client set none
 * @param authority {@code :authority}, else {@code host}; null when neither was sent
 * @param contentSubtype what follows {@code application/grpc+} in the content type; "" for none
 * @param encoding the request messages' {@code grpc-encoding}; null for identity
 * @param decompressor the compressor of {@code encoding}; null for identity
 */
record RequestHead(
    String methodName,
    Deadline deadline,
    String authority,
    String contentSubtype,
    String encoding,
    Compressor decompressor) {

  /**
   * Checks {@code headers} and reads the call's head from them.
   *
   * @param compressors the compressors the server can decompress with
   * @throws RequestRejected when a check fails; it carries the response
   */
  static RequestHead parse(Http2Headers headers, CompressorRegistry compressors)
      throws RequestRejected {
    CharSequence method = headers.method();
    if (!GrpcHeaders.POST.contentEquals(method)) {
      throw new RequestRejected(
          405, Status.INTERNAL.withDescription("method '" + method + "' is not supported"), null);
    }
    CharSequence contentType = headers.get(GrpcHeaders.CONTENT_TYPE);
    if (!GrpcHeaders.isGrpcContentType(contentType)) {
      throw new RequestRejected(
          415,
          Status.INTERNAL.withDescription("content-type '" + contentType + "' is not supported"),
          null);
    }
    CharSequence path = headers.path();
    if (path == null || path.length() < 2 || path.charAt(0) != '/') {
      throw new RequestRejected(
          404,
          Status.UNIMPLEMENTED.withDescription("expected a path starting with '/': " + path),
          null);
    }
    Deadline deadline = deadline(headers.get(GrpcHeaders.GRPC_TIMEOUT));
    String encoding = null;
    Compressor decompressor = null;
    CharSequence encodingHeader = headers.get(GrpcHeaders.GRPC_ENCODING);
    if (encodingHeader != null && !CompressorRegistry.IDENTITY.contentEquals(encodingHeader)) {
      encoding = encodingHeader.toString();
      decompressor = compressors.compressor(encoding);
      if (decompressor == null) {
        throw new RequestRejected(
            200,
            Status.UNIMPLEMENTED.withDescription("can't find decompressor for '" + encoding + "'"),
            compressors.acceptEncoding());
      }
    }
    CharSequence authority = headers.authority();
    if (authority == null) {
      authority = headers.get("host");
    }
    return new RequestHead(
        path.subSequence(1, path.length()).toString(),
        deadline,
        authority == null ? null : authority.toString(),
        GrpcHeaders.contentSubtype(contentType),
        encoding,
        decompressor);
  }

  private static Deadline deadline(CharSequence timeout) throws RequestRejected {
    if (timeout == null) {
      return null;
    }
    try {
      return Deadline.after(WireFormat.parseTimeout(timeout.toString()), TimeUnit.NANOSECONDS);
    } catch (IllegalArgumentException e) {
      throw new RequestRejected(
          200, Status.INTERNAL.withDescription("invalid grpc-timeout: '" + timeout + "'"), null);
    }
  }
}
