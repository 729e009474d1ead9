package dev.switchboard.interop;

import dev.switchboard.api.ForwardingServerCall;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.Status;
import java.util.List;

/**
 * The interop server feature "Echo Metadata": the values of {@value #ECHO_INITIAL} in the request
 * headers go back in the response headers, those of {@value #ECHO_TRAILING} in the trailers.
 */
final class EchoMetadataInterceptor implements ServerInterceptor {
  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

  @Override
  public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    List<String> initial = headers.getAll(ECHO_INITIAL);
    List<byte[]> trailing = headers.getAllBinary(ECHO_TRAILING);
    if (initial.isEmpty() && trailing.isEmpty()) {
      return next.startCall(call, headers);
    }
    return next.startCall(
        new ForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            for (String value : initial) {
              responseHeaders.put(ECHO_INITIAL, value);
            }
            super.sendHeaders(responseHeaders);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            for (byte[] value : trailing) {
              trailers.putBinary(ECHO_TRAILING, value);
            }
            super.close(status, trailers);
          }
        },
        headers);
  }
}
