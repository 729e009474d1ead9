package dev.switchboard.api.stub;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.StatusRuntimeException;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * Client-side call helpers for generated stubs: start a {@link ClientStream} in one of the async,
 * blocking or future styles. Stateless.
 *
 * <p>Async methods take an unstarted call and the application's response {@link StreamObserver},
 * whose callbacks run on the call's executor; a {@link ClientResponseObserver} additionally gets
 * the request side before the call starts. Unless disabled there, inbound flow control is
 * automatic. Failures reach {@code onError} as a {@link StatusRuntimeException} with the trailers.
 *
 * <p>Blocking methods create the call themselves, with a per-call executor that owns no thread: the
 * calling thread runs the call's callbacks while it waits. Interrupting it cancels the call; the
 * method then throws CANCELLED and leaves the interrupt flag set.
 *
 * @since 0.1
 */
public final class ClientCalls {
  private ClientCalls() {}

  /**
   * Starts a unary call: sends {@code request}; the response goes to {@code responseObserver}.
   *
   * @param call a new, unstarted call from {@link Channel#newStream}
   * @param request the request message
   * @param responseObserver gets the response then {@code onCompleted}, or {@code onError}
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  public static <ReqT, RespT> void asyncUnaryCall(
      ClientStream<ReqT, RespT> call, ReqT request, StreamObserver<RespT> responseObserver) {
    startObserved(call, responseObserver, false);
    sendOnlyRequest(call, request);
  }

  /**
   * Starts a server-streaming call: sends {@code request}; responses go to the observer.
   *
   * @param call a new, unstarted call from {@link Channel#newStream}
   * @param request the request message
   * @param responseObserver gets each response, then {@code onCompleted} or {@code onError}
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  public static <ReqT, RespT> void asyncServerStreamingCall(
      ClientStream<ReqT, RespT> call, ReqT request, StreamObserver<RespT> responseObserver) {
    startObserved(call, responseObserver, true);
    sendOnlyRequest(call, request);
  }

  /**
   * Starts a client-streaming call.
   *
   * @param call a new, unstarted call from {@link Channel#newStream}
   * @param responseObserver gets the response then {@code onCompleted}, or {@code onError}
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return where to send requests; {@code onCompleted} half-closes, {@code onError} cancels
   */
  public static <ReqT, RespT> StreamObserver<ReqT> asyncClientStreamingCall(
      ClientStream<ReqT, RespT> call, StreamObserver<RespT> responseObserver) {
    return startObserved(call, responseObserver, false);
  }

  /**
   * Starts a bidi-streaming call.
   *
   * @param call a new, unstarted call from {@link Channel#newStream}
   * @param responseObserver gets each response, then {@code onCompleted} or {@code onError}
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return where to send requests; {@code onCompleted} half-closes, {@code onError} cancels
   */
  public static <ReqT, RespT> StreamObserver<ReqT> asyncBidiStreamingCall(
      ClientStream<ReqT, RespT> call, StreamObserver<RespT> responseObserver) {
    return startObserved(call, responseObserver, true);
  }

  /**
   * Starts a unary call whose response completes the returned future; cancelling the future cancels
   * the call. A failed call completes it with a {@link StatusRuntimeException}.
   *
   * @param call a new, unstarted call from {@link Channel#newStream}
   * @param request the request message
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return the response's future, completed on the call's executor
   */
  public static <ReqT, RespT> CompletableFuture<RespT> futureUnaryCall(
      ClientStream<ReqT, RespT> call, ReqT request) {
    return startFuture(call, request);
  }

  /**
   * Makes a unary call and waits for its response, running its callbacks on this thread.
   *
   * @param channel the channel to call on
   * @param method the method to call
   * @param callOptions the call's options; their executor is replaced
   * @param request the request message
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return the response
   * @throws StatusRuntimeException with the status and trailers when the call fails, or CANCELLED
   *     when the thread was interrupted (the interrupt flag stays set)
   */
  public static <ReqT, RespT> RespT blockingUnaryCall(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions,
      ReqT request) {
    BlockingCallExecutor executor = new BlockingCallExecutor();
    ClientStream<ReqT, RespT> call = channel.newStream(method, callOptions.withExecutor(executor));
    UnaryResponseFuture<RespT> response = startFuture(call, request);
    executor.drainUntil(response::isDone, call);
    return response.response();
  }

  /**
   * Makes a server-streaming call and returns its responses as a blocking iterator. Each response
   * is requested from the server only when the previous one has been taken.
   *
   * <p>The iterator's methods block, running the call's callbacks on the iterating thread, and
   * throw {@link StatusRuntimeException} when the call fails or the thread is interrupted (which
   * cancels the call). Iterate to the end or the call stays open.
   *
   * @param channel the channel to call on
   * @param method the method to call
   * @param callOptions the call's options; their executor is replaced
   * @param request the request message
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return the responses; for one thread at a time
   */
  public static <ReqT, RespT> Iterator<RespT> blockingServerStreamingCall(
      Channel channel,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions,
      ReqT request) {
    BlockingCallExecutor executor = new BlockingCallExecutor();
    ClientStream<ReqT, RespT> call = channel.newStream(method, callOptions.withExecutor(executor));
    BlockingResponseIterator<RespT> responses = new BlockingResponseIterator<>(call, executor);
    start(call, responses.listener(), 1);
    sendOnlyRequest(call, request);
    return responses;
  }

  private static <ReqT, RespT> UnaryResponseFuture<RespT> startFuture(
      ClientStream<ReqT, RespT> call, ReqT request) {
    UnaryResponseFuture<RespT> response = new UnaryResponseFuture<>(call);
    start(call, response.listener(), 2); // 2, so that a second response is noticed
    sendOnlyRequest(call, request);
    return response;
  }

  /**
   * Starts {@code call} for an observer: gives a {@link ClientResponseObserver} the request side
   * first, then starts and makes the initial requests.
   */
  @SuppressWarnings("unchecked") // a ClientResponseObserver<?, RespT> for this call takes ReqT
  private static <ReqT, RespT> ClientCallStreamObserverImpl<ReqT, RespT> startObserved(
      ClientStream<ReqT, RespT> call,
      StreamObserver<RespT> responseObserver,
      boolean streamingResponse) {
    ClientCallStreamObserverImpl<ReqT, RespT> requestSide =
        new ClientCallStreamObserverImpl<>(call, streamingResponse);
    if (responseObserver instanceof ClientResponseObserver<?, ?> withRequestSide) {
      ((ClientResponseObserver<ReqT, RespT>) withRequestSide).beforeStart(requestSide);
    }
    requestSide.freeze();
    start(
        call,
        new StreamObserverListener<>(responseObserver, requestSide, streamingResponse),
        requestSide.initialRequests());
    return requestSide;
  }

  private static <RespT> void start(
      ClientStream<?, RespT> call, ClientStreamListener<RespT> listener, int initialRequests) {
    call.start(listener, new Metadata());
    if (initialRequests > 0) {
      call.request(initialRequests);
    }
  }

  /** Sends the one request and half-closes; if that throws, cancels the call and rethrows. */
  private static <ReqT> void sendOnlyRequest(ClientStream<ReqT, ?> call, ReqT request) {
    try {
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException | Error e) {
      call.cancel("Sending the request failed", e);
      throw e;
    }
  }
}
