package dev.switchboard.api.stub;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A response observer that also wants the call's request side, for flow control: {@link
 * #beforeStart} gets it before the call starts, the only time its handlers and inbound flow control
 * can be configured. Implemented by applications; pass it to any {@link ClientCalls} async method.
 *
 * @param <ReqT> request type
 * @param <RespT> response type
 * @since 0.1
 */
@ConsumerType
public interface ClientResponseObserver<ReqT, RespT> extends StreamObserver<RespT> {
  /**
   * Called once, on the thread starting the call, before it starts. For unary-request calls the
   * request observer must not be sent to: use it for {@code request}, {@code isReady}, handlers and
   * {@code cancel} only.
   *
   * @param requestStream the call's request side; valid for the whole call
   */
  void beforeStart(ClientCallStreamObserver<ReqT> requestStream);
}
