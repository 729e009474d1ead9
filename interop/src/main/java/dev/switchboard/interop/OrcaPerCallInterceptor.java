package dev.switchboard.interop;

import dev.switchboard.api.ForwardingServerCall;
import dev.switchboard.api.ForwardingServerCallListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.Status;
import dev.switchboard.interop.proto.Messages.SimpleRequest;

/**
 * The orca_per_rpc feature: when a {@code SimpleRequest} carries {@code orca_per_query_report}, the
 * call's trailers carry it back as an ORCA load report ({@value OrcaReports#PER_CALL_TRAILER}), the
 * way a backend reports per-request load to a client's load-balancing policy.
 */
final class OrcaPerCallInterceptor implements ServerInterceptor {
  @Override
  public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!call.getMethodDescriptor().getType().clientSendsOneMessage()) {
      return next.startCall(call, headers);
    }
    // Written by onMessage, read by close: both run in the call's serialized callbacks.
    byte[][] report = new byte[1][];
    ServerCall<ReqT, RespT> reporting =
        new ForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (report[0] != null) {
              trailers.putBinary(OrcaReports.PER_CALL_TRAILER, report[0]);
            }
            super.close(status, trailers);
          }
        };
    return new ForwardingServerCallListener<>(next.startCall(reporting, headers)) {
      @Override
      public void onMessage(ReqT message) {
        if (message instanceof SimpleRequest r && r.hasOrcaPerQueryReport()) {
          report[0] = OrcaReports.perCall(r.getOrcaPerQueryReport()).toByteArray();
        }
        super.onMessage(message);
      }
    };
  }
}
