package dev.switchboard.benchmarks;

import com.google.protobuf.ByteString;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.benchmarks.proto.BenchmarkServiceSwitchboard;
import dev.switchboard.benchmarks.proto.Messages.Payload;
import dev.switchboard.benchmarks.proto.Messages.SimpleRequest;
import dev.switchboard.benchmarks.proto.Messages.SimpleResponse;

/**
 * {@code grpc.testing.BenchmarkService}, doing per call the same work as grpc-java's {@code
 * AsyncServer.BenchmarkServiceImpl}, so that a comparison measures the runtimes and not the
 * handlers.
 *
 * <ul>
 *   <li>{@code UnaryCall}: one {@code SimpleResponse} whose payload body is {@code response_size}
 *       zero bytes (the empty response when that is 0), built afresh for every call.
 *   <li>{@code StreamingCall}: ping-pong, one such response per request; ends when the client
 *       half-closes.
 *   <li>{@code StreamingFromClient}: answers the last request once the client half-closes.
 *   <li>{@code StreamingFromServer}: sends the response for the one request for as long as the
 *       client lets it (flow control: only while the call is ready) until the client cancels.
 *   <li>{@code StreamingBothWays}: sends a canned 100-byte response the same way and ignores what
 *       the client sends.
 * </ul>
 */
final class BenchmarkServiceImpl extends BenchmarkServiceSwitchboard.BenchmarkServiceImplBase {
  private static final SimpleResponse BIDI_RESPONSE =
      SimpleResponse.newBuilder()
          .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[100])))
          .build();

  /**
   * The response to {@code request}. Like grpc-java's {@code Utils.makeResponse}, it copies a new
   * zero-filled array into a new {@code ByteString} every time instead of caching it.
   */
  static SimpleResponse makeResponse(SimpleRequest request) {
    int size = request.getResponseSize();
    if (size <= 0) {
      return SimpleResponse.getDefaultInstance();
    }
    ByteString body = ByteString.copyFrom(new byte[size]);
    return SimpleResponse.newBuilder()
        .setPayload(Payload.newBuilder().setType(request.getResponseType()).setBody(body))
        .build();
  }

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
    responseObserver.onNext(makeResponse(request));
    responseObserver.onCompleted();
  }

  @Override
  public StreamObserver<SimpleRequest> streamingCall(
      StreamObserver<SimpleResponse> responseObserver) {
    return new StreamObserver<>() {
      @Override
      public void onNext(SimpleRequest request) {
        responseObserver.onNext(makeResponse(request));
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled: the call is over, there is nobody to answer.
      }

      @Override
      public void onCompleted() {
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<SimpleRequest> streamingFromClient(
      StreamObserver<SimpleResponse> responseObserver) {
    return new StreamObserver<>() {
      private SimpleRequest last;

      @Override
      public void onNext(SimpleRequest request) {
        last = request;
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        if (last == null) {
          responseObserver.onError(
              Status.FAILED_PRECONDITION
                  .withDescription("never received any requests")
                  .asRuntimeException());
        } else {
          responseObserver.onNext(makeResponse(last));
          responseObserver.onCompleted();
        }
      }
    };
  }

  @Override
  public void streamingFromServer(
      SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
    sendWhileReady(
        (ServerCallStreamObserver<SimpleResponse>) responseObserver, makeResponse(request));
  }

  @Override
  public StreamObserver<SimpleRequest> streamingBothWays(
      StreamObserver<SimpleResponse> responseObserver) {
    sendWhileReady((ServerCallStreamObserver<SimpleResponse>) responseObserver, BIDI_RESPONSE);
    return new StreamObserver<>() {
      @Override
      public void onNext(SimpleRequest request) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        // Clients stop this call by cancelling it; a half-close just means no more requests.
      }
    };
  }

  /**
   * Sends {@code response} whenever the call is ready, until the client cancels. Must be called
   * while the service method is first invoked (that is when handlers may be set).
   */
  private static void sendWhileReady(
      ServerCallStreamObserver<SimpleResponse> responses, SimpleResponse response) {
    // Set, so that onNext after a cancellation is ignored rather than thrown.
    responses.setOnCancelHandler(() -> {});
    Runnable pump =
        () -> {
          while (responses.isReady() && !responses.isCancelled()) {
            responses.onNext(response);
          }
        };
    responses.setOnReadyHandler(pump);
  }
}
