package dev.switchboard.api.stub;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;

/**
 * Listener of a unary or server-streaming call handled through {@link ServerCalls}: keeps the one
 * request and invokes the service method on half-close. A second request, or none, ends the call
 * with INTERNAL. A {@link StatusRuntimeException} thrown by the method ends the call with its
 * status and trailers; anything else it throws is left to the server (which answers UNKNOWN).
 */
final class UnaryRequestCallListener<ReqT, RespT> extends ServerCallListener<ReqT> {
  private final ServerCall<ReqT, RespT> call;
  private final ServerCallStreamObserverImpl<ReqT, RespT> responses;
  private final ServerCalls.UnaryMethod<ReqT, RespT> method;
  private ReqT request;
  private boolean refused;
  private boolean wasReady;

  UnaryRequestCallListener(
      ServerCall<ReqT, RespT> call,
      ServerCallStreamObserverImpl<ReqT, RespT> responses,
      ServerCalls.UnaryMethod<ReqT, RespT> method) {
    this.call = call;
    this.responses = responses;
    this.method = method;
  }

  @Override
  public void onMessage(ReqT message) {
    if (refused) {
      return;
    }
    if (request != null) {
      refuse(Status.INTERNAL.withDescription("Too many requests"));
      return;
    }
    request = message;
  }

  @Override
  public void onHalfClose() {
    if (refused) {
      return;
    }
    if (request == null) {
      refuse(Status.INTERNAL.withDescription("Half-closed without a request"));
      return;
    }
    ReqT only = request;
    request = null;
    try {
      method.invoke(only, responses);
    } catch (StatusRuntimeException e) {
      ServerCalls.endWith(responses, e);
    } finally {
      responses.freeze();
    }
    if (wasReady) {
      responses.callReady(); // readiness reported before the method could set its handler
    }
  }

  private void refuse(Status status) {
    refused = true;
    call.close(status, new Metadata());
  }

  @Override
  public void onCancel() {
    responses.callCancelled();
  }

  @Override
  public void onComplete() {
    responses.callCompleted();
  }

  @Override
  public void onReady() {
    wasReady = true;
    responses.callReady();
  }
}
