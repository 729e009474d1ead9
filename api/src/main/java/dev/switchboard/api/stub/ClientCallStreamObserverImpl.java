package dev.switchboard.api.stub;

import dev.switchboard.api.ClientStream;

/**
 * The request side of an async client call: sends through the {@link ClientStream}, and holds the
 * flow-control settings made in {@link ClientResponseObserver#beforeStart}, which {@link
 * StreamObserverListener} reads once the call runs.
 *
 * <p>Threading: the settings are written before {@link #freeze()} on the starting thread and only
 * read afterwards, on the call's callback thread; the call's start orders the two.
 */
final class ClientCallStreamObserverImpl<ReqT, RespT> extends ClientCallStreamObserver<ReqT> {
  private final ClientStream<ReqT, RespT> call;
  private final boolean streamingResponse;
  private boolean frozen;
  private boolean autoRequest = true;
  private int initialRequests;
  private Runnable onReadyHandler;
  private boolean completed;
  private boolean aborted;

  ClientCallStreamObserverImpl(ClientStream<ReqT, RespT> call, boolean streamingResponse) {
    this.call = call;
    this.streamingResponse = streamingResponse;
  }

  /** Ends setup: from now on the settings are fixed. */
  void freeze() {
    frozen = true;
  }

  ClientStream<ReqT, RespT> call() {
    return call;
  }

  boolean autoRequest() {
    return autoRequest;
  }

  /**
   * How many responses to ask for when the call starts: automatically one for streaming responses,
   * two for a single response (so that a second one is noticed), else what the application chose.
   */
  int initialRequests() {
    if (!autoRequest) {
      return initialRequests;
    }
    return streamingResponse ? 1 : 2;
  }

  Runnable onReadyHandler() {
    return onReadyHandler;
  }

  @Override
  public void onNext(ReqT value) {
    checkOpen();
    call.sendMessage(value);
  }

  @Override
  public void onError(Throwable t) {
    checkOpen();
    aborted = true;
    call.cancel("Cancelled by the client with StreamObserver.onError()", t);
  }

  @Override
  public void onCompleted() {
    checkOpen();
    completed = true;
    call.halfClose();
  }

  private void checkOpen() {
    if (aborted) {
      throw new IllegalStateException("request stream was cancelled by onError");
    }
    if (completed) {
      throw new IllegalStateException("request stream was already completed");
    }
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {
    checkSetup("setOnReadyHandler");
    this.onReadyHandler = onReadyHandler;
  }

  @Override
  public void disableAutoInboundFlowControl() {
    disableAutoRequestWithInitialRequests(1);
  }

  @Override
  public void disableAutoRequestWithInitialRequests(int requests) {
    checkSetup("disableAutoRequestWithInitialRequests");
    if (requests < 0) {
      throw new IllegalArgumentException("negative initial requests: " + requests);
    }
    autoRequest = false;
    initialRequests = requests;
  }

  private void checkSetup(String method) {
    if (frozen) {
      throw new IllegalStateException(
          method + " may only be called in ClientResponseObserver.beforeStart");
    }
  }

  @Override
  public void request(int count) {
    call.request(count);
  }

  @Override
  public void setMessageCompression(boolean enable) {
    call.setMessageCompression(enable);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    call.cancel(message, cause);
  }
}
