package dev.switchboard.interop;

import dev.switchboard.api.stub.ClientCallStreamObserver;
import dev.switchboard.api.stub.ClientResponseObserver;

/**
 * A {@link StreamRecorder} that also keeps the call's request side, handed over before the call
 * starts: for per-message compression ({@code setMessageCompression}) and cancellation.
 */
final class RequestStreamRecorder<ReqT, RespT> extends StreamRecorder<RespT>
    implements ClientResponseObserver<ReqT, RespT> {
  private volatile ClientCallStreamObserver<ReqT> requests;

  @Override
  public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
    requests = requestStream;
  }

  ClientCallStreamObserver<ReqT> requests() {
    return requests;
  }
}
