package dev.switchboard.api.stub;

import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;

/**
 * Listener of a client- or bidi-streaming call handled through {@link ServerCalls}: feeds requests
 * to the request observer the service method returned (asking for the next one when automatic flow
 * control is on), half-close to its {@code onCompleted}, and a cancellation before half-close to
 * its {@code onError} with CANCELLED. A {@link StatusRuntimeException} thrown by the request
 * observer ends the call with its status and trailers; anything else is left to the server (which
 * answers UNKNOWN).
 */
final class StreamingRequestCallListener<ReqT, RespT> extends ServerCallListener<ReqT> {
  private final ServerCall<ReqT, RespT> call;
  private final ServerCallStreamObserverImpl<ReqT, RespT> responses;
  private final StreamObserver<ReqT> requests;
  private boolean halfClosed;

  StreamingRequestCallListener(
      ServerCall<ReqT, RespT> call,
      ServerCallStreamObserverImpl<ReqT, RespT> responses,
      StreamObserver<ReqT> requests) {
    this.call = call;
    this.responses = responses;
    this.requests = requests;
  }

  @Override
  public void onMessage(ReqT message) {
    try {
      requests.onNext(message);
    } catch (StatusRuntimeException e) {
      ServerCalls.endWith(responses, e);
      return;
    }
    if (responses.autoRequest()) {
      call.request(1);
    }
  }

  @Override
  public void onHalfClose() {
    halfClosed = true;
    try {
      requests.onCompleted();
    } catch (StatusRuntimeException e) {
      ServerCalls.endWith(responses, e);
    }
  }

  @Override
  public void onCancel() {
    responses.callCancelled();
    if (!halfClosed) {
      requests.onError(
          Status.CANCELLED
              .withDescription("call cancelled before the client finished sending")
              .asRuntimeException());
    }
  }

  @Override
  public void onComplete() {
    responses.callCompleted();
  }

  @Override
  public void onReady() {
    responses.callReady();
  }
}
