package dev.switchboard.api.stub;

import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;

/**
 * Server-side helpers for generated stubs: turn a service method written against {@link
 * StreamObserver}s into a {@link ServerCallHandler}. Stateless.
 *
 * <p>The service method gets a {@link ServerCallStreamObserver} for its responses: headers are sent
 * with the first response, {@code onError(t)} closes the call with {@link
 * Status#fromThrowable(Throwable)} and the trailers of a {@code StatusException}/{@code
 * StatusRuntimeException}, {@code onCompleted} closes it with OK. Inbound flow control is automatic
 * (one more request after each delivered) unless the method disables it during setup.
 *
 * <p>Errors: a {@link StatusRuntimeException} thrown by the service method (or by the request
 * observer it returned) ends the call with that status, unless the call already ended; any other
 * exception propagates to the server, which ends the call with UNKNOWN. Callbacks run on the
 * server's executor, one at a time per call.
 *
 * @since 0.1
 */
public final class ServerCalls {
  private ServerCalls() {}

  /**
   * A unary service method: one request, one response.
   *
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  @FunctionalInterface
  public interface UnaryMethod<ReqT, RespT> {
    /**
     * Handles the request, on the server's executor, once the client has half-closed. The method
     * may answer later, from any thread, as long as calls to the observer do not overlap.
     *
     * @param request the request message
     * @param responseObserver takes one {@code onNext} then {@code onCompleted}, or {@code
     *     onError}; a {@link ServerCallStreamObserver}
     */
    void invoke(ReqT request, StreamObserver<RespT> responseObserver);
  }

  /**
   * A server-streaming service method: one request, any number of responses.
   *
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  @FunctionalInterface
  public interface ServerStreamingMethod<ReqT, RespT> {
    /**
     * Handles the request, on the server's executor, once the client has half-closed. The method
     * may keep sending after it returns, from any thread, as long as calls to the observer do not
     * overlap.
     *
     * @param request the request message
     * @param responseObserver takes any number of {@code onNext}, then {@code onCompleted} or
     *     {@code onError}; a {@link ServerCallStreamObserver}
     */
    void invoke(ReqT request, StreamObserver<RespT> responseObserver);
  }

  /**
   * A client-streaming service method: returns the observer for the requests.
   *
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  @FunctionalInterface
  public interface ClientStreamingMethod<ReqT, RespT> {
    /**
     * Starts handling a call, on the server's executor, when it arrives; the requests then go to
     * the observer returned.
     *
     * @param responseObserver takes one {@code onNext} then {@code onCompleted}, or {@code
     *     onError}; a {@link ServerCallStreamObserver}
     * @return the observer for the requests, not null; its methods run on the server's executor,
     *     one at a time
     */
    StreamObserver<ReqT> invoke(StreamObserver<RespT> responseObserver);
  }

  /**
   * A bidi-streaming service method: returns the observer for the requests.
   *
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  @FunctionalInterface
  public interface BidiStreamingMethod<ReqT, RespT> {
    /**
     * Starts handling a call, on the server's executor, when it arrives; the requests then go to
     * the observer returned.
     *
     * @param responseObserver takes any number of {@code onNext}, then {@code onCompleted} or
     *     {@code onError}; a {@link ServerCallStreamObserver}
     * @return the observer for the requests, not null; its methods run on the server's executor,
     *     one at a time
     */
    StreamObserver<ReqT> invoke(StreamObserver<RespT> responseObserver);
  }

  /**
   * {@return a handler for a {@link MethodType#UNARY} method}
   *
   * @param method the service method
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncUnaryCall(
      UnaryMethod<ReqT, RespT> method) {
    return unaryRequestHandler(method);
  }

  /**
   * {@return a handler for a {@link MethodType#SERVER_STREAMING} method}
   *
   * @param method the service method
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncServerStreamingCall(
      ServerStreamingMethod<ReqT, RespT> method) {
    return unaryRequestHandler(method::invoke);
  }

  /**
   * {@return a handler for a {@link MethodType#CLIENT_STREAMING} method}
   *
   * @param method the service method
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncClientStreamingCall(
      ClientStreamingMethod<ReqT, RespT> method) {
    return streamingRequestHandler(method::invoke);
  }

  /**
   * {@return a handler for a {@link MethodType#BIDI_STREAMING} method}
   *
   * @param method the service method
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncBidiStreamingCall(
      BidiStreamingMethod<ReqT, RespT> method) {
    return streamingRequestHandler(method::invoke);
  }

  /**
   * Ends a unary or server-streaming call with UNIMPLEMENTED: what a generated service base class
   * does for methods the application did not override.
   *
   * @param method the method, for the status description
   * @param responseObserver the call's response observer
   */
  public static void asyncUnimplementedUnaryCall(
      MethodDescriptor<?, ?> method, StreamObserver<?> responseObserver) {
    responseObserver.onError(
        Status.UNIMPLEMENTED
            .withDescription("Method " + method.getFullMethodName() + " is unimplemented")
            .asRuntimeException());
  }

  /**
   * Ends a client- or bidi-streaming call with UNIMPLEMENTED.
   *
   * @param method the method, for the status description
   * @param responseObserver the call's response observer
   * @param <ReqT> request message type
   * @return a request observer that ignores everything
   */
  public static <ReqT> StreamObserver<ReqT> asyncUnimplementedStreamingCall(
      MethodDescriptor<?, ?> method, StreamObserver<?> responseObserver) {
    asyncUnimplementedUnaryCall(method, responseObserver);
    return new Ignoring<>();
  }

  private static <ReqT, RespT> ServerCallHandler<ReqT, RespT> unaryRequestHandler(
      UnaryMethod<ReqT, RespT> method) {
    return (call, headers) -> {
      checkType(call, true);
      ServerCallStreamObserverImpl<ReqT, RespT> responses =
          new ServerCallStreamObserverImpl<>(call);
      call.request(2); // 2, so that a second request is noticed
      return new UnaryRequestCallListener<>(call, responses, method);
    };
  }

  private static <ReqT, RespT> ServerCallHandler<ReqT, RespT> streamingRequestHandler(
      ClientStreamingMethod<ReqT, RespT> method) {
    return (call, headers) -> {
      checkType(call, false);
      ServerCallStreamObserverImpl<ReqT, RespT> responses =
          new ServerCallStreamObserverImpl<>(call);
      StreamObserver<ReqT> requests;
      try {
        requests = method.invoke(responses);
      } catch (StatusRuntimeException e) {
        endWith(responses, e);
        requests = new Ignoring<>(); // the call is over; late requests go nowhere
      } finally {
        responses.freeze();
      }
      if (responses.autoRequest()) {
        call.request(1);
      }
      return new StreamingRequestCallListener<>(call, responses, requests);
    };
  }

  private static void checkType(ServerCall<?, ?> call, boolean singleRequest) {
    MethodType type = call.getMethodDescriptor().getType();
    if (type.clientSendsOneMessage() != singleRequest) {
      throw new IllegalArgumentException(
          "a "
              + (singleRequest ? "unary-request" : "streaming-request")
              + " handler cannot serve "
              + call.getMethodDescriptor().getFullMethodName()
              + " of type "
              + type);
    }
  }

  /** Ends the call with the status {@code e} carries, or rethrows when it already ended. */
  static void endWith(ServerCallStreamObserverImpl<?, ?> responses, StatusRuntimeException e) {
    if (responses.isTerminated()) {
      throw e;
    }
    responses.onError(e);
  }

  /** A request observer that ignores everything, for calls already ended. */
  private static final class Ignoring<V> implements StreamObserver<V> {
    @Override
    public void onNext(V value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
