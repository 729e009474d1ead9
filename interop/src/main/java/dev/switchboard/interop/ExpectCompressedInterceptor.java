package dev.switchboard.interop;

import dev.switchboard.api.ForwardingServerCallListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.Status;
import dev.switchboard.interop.proto.Messages.BoolValue;
import dev.switchboard.interop.proto.Messages.SimpleRequest;
import dev.switchboard.interop.proto.Messages.StreamingInputCallRequest;

/**
 * The interop server feature "CompressedRequest": a request carrying {@code expect_compressed} must
 * have arrived compressed exactly when it says so, else the call ends with INVALID_ARGUMENT and the
 * message goes no further. How the message arrived comes from {@link
 * ServerCall#isLastMessageCompressed()}, read while the message is being delivered.
 */
final class ExpectCompressedInterceptor implements ServerInterceptor {
  @Override
  public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    ServerCallListener<ReqT> delegate = next.startCall(call, headers);
    return new ForwardingServerCallListener<>(delegate) {
      private boolean rejected; // callbacks are serialized: no lock needed

      @Override
      public void onMessage(ReqT message) {
        if (rejected) {
          return;
        }
        BoolValue expected = expectCompressed(message);
        boolean compressed = call.isLastMessageCompressed();
        if (expected != null && expected.getValue() != compressed) {
          rejected = true;
          call.close(
              Status.INVALID_ARGUMENT.withDescription(
                  expected.getValue()
                      ? "Expected a compressed request (expect_compressed=true), got an uncompressed one"
                      : "Expected an uncompressed request (expect_compressed=false), got a compressed one"),
              new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!rejected) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!rejected) {
          super.onReady();
        }
      }
    };
  }

  /** The message's {@code expect_compressed}, or {@code null} when it has none. */
  private static BoolValue expectCompressed(Object message) {
    if (message instanceof SimpleRequest r && r.hasExpectCompressed()) {
      return r.getExpectCompressed();
    }
    if (message instanceof StreamingInputCallRequest r && r.hasExpectCompressed()) {
      return r.getExpectCompressed();
    }
    return null;
  }
}
