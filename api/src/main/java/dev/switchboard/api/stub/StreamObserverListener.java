package dev.switchboard.api.stub;

import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;

/**
 * Feeds an async client call's events to the application's response {@link StreamObserver}:
 * messages to {@code onNext} (asking for the next one when automatic flow control is on), OK to
 * {@code onCompleted}, anything else to {@code onError} with a {@code StatusRuntimeException}
 * carrying the trailers, and readiness to the on-ready handler.
 *
 * <p>If the server sends a second response to a single-response method, or the observer throws, the
 * call is cancelled and the observer's {@code onError} reports that failure instead of the
 * resulting CANCELLED. Runs on the call's callback thread, one event at a time.
 */
final class StreamObserverListener<ReqT, RespT> extends ClientStreamListener<RespT> {
  private final StreamObserver<RespT> observer;
  private final ClientCallStreamObserverImpl<ReqT, RespT> requestSide;
  private final boolean streamingResponse;
  private boolean responseReceived;
  private Status failure; // set when this side cancelled the call

  StreamObserverListener(
      StreamObserver<RespT> observer,
      ClientCallStreamObserverImpl<ReqT, RespT> requestSide,
      boolean streamingResponse) {
    this.observer = observer;
    this.requestSide = requestSide;
    this.streamingResponse = streamingResponse;
  }

  @Override
  public void onMessage(RespT message) {
    if (failure != null) {
      return;
    }
    if (responseReceived && !streamingResponse) {
      fail(Status.INTERNAL.withDescription("More than one response received for a unary call"));
      return;
    }
    responseReceived = true;
    try {
      observer.onNext(message);
    } catch (RuntimeException e) {
      fail(Status.CANCELLED.withDescription("Response observer failed").withCause(e));
      return;
    }
    if (streamingResponse && requestSide.autoRequest()) {
      requestSide.call().request(1);
    }
  }

  private void fail(Status status) {
    failure = status;
    requestSide.call().cancel(status.getDescription(), status.asRuntimeException());
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    if (failure != null) {
      observer.onError(failure.asRuntimeException());
    } else if (status.isOk()) {
      observer.onCompleted();
    } else {
      observer.onError(status.asRuntimeException(trailers));
    }
  }

  @Override
  public void onReady() {
    Runnable handler = requestSide.onReadyHandler();
    if (handler != null) {
      handler.run();
    }
  }
}
