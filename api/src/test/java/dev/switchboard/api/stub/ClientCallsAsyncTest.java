package dev.switchboard.api.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ClientCallsAsyncTest {
  private final FakeClientStream<String, String> call = new FakeClientStream<>(CallOptions.DEFAULT);
  private final RecordingObserver<String> responses = new RecordingObserver<>();

  @Test
  void asyncUnaryCallSendsRequestAndDeliversResponse() {
    ClientCalls.asyncUnaryCall(call, "req", responses);
    assertEquals(List.of("req"), call.sent);
    assertTrue(call.halfClosed);
    assertEquals(2, call.requested, "two, so that a second response is noticed");

    call.serverSends("resp");
    call.serverCloses(Status.OK, new Metadata());
    assertEquals(List.of("next:resp", "completed"), responses.events);
  }

  @Test
  void asyncErrorCarriesStatusAndTrailers() {
    ClientCalls.asyncUnaryCall(call, "req", responses);
    Metadata trailers = new Metadata().put("x-why", "gone");
    call.serverCloses(Status.NOT_FOUND.withDescription("nothing here"), trailers);

    StatusRuntimeException e = assertInstanceOf(StatusRuntimeException.class, responses.error);
    assertEquals(Status.NOT_FOUND.withDescription("nothing here"), e.getStatus());
    assertSame(trailers, e.getTrailers());
  }

  @Test
  void secondResponseToUnaryCallCancelsItWithInternal() {
    ClientCalls.asyncUnaryCall(call, "req", responses);
    call.serverSends("one");
    call.serverSends("two");

    assertTrue(call.isCancelled());
    assertEquals(List.of("next:one", "error"), responses.events);
    assertEquals(
        Status.Code.INTERNAL, ((StatusRuntimeException) responses.error).getStatus().getCode());
  }

  @Test
  void throwingObserverCancelsCall() {
    RecordingObserver<String> throwing =
        new RecordingObserver<>() {
          @Override
          public void onNext(String value) {
            throw new IllegalStateException("bug");
          }
        };
    ClientCalls.asyncServerStreamingCall(call, "req", throwing);
    call.serverSends("a");

    assertTrue(call.isCancelled());
    assertEquals(List.of("error"), throwing.events);
    assertInstanceOf(IllegalStateException.class, throwing.error.getCause());
  }

  @Test
  void serverStreamingRequestsOneAfterEachResponse() {
    ClientCalls.asyncServerStreamingCall(call, "req", responses);
    assertEquals(1, call.requested);
    call.serverSends("a");
    assertEquals(2, call.requested);
    call.serverSends("b");
    assertEquals(3, call.requested);
    call.serverCloses(Status.OK, new Metadata());
    assertEquals(List.of("next:a", "next:b", "completed"), responses.events);
  }

  @Test
  void clientResponseObserverControlsFlowBeforeStart() {
    int[] ready = {0};
    RequestSideObserver observer =
        new RequestSideObserver(
            requestSide -> {
              requestSide.disableAutoRequestWithInitialRequests(0);
              requestSide.setOnReadyHandler(() -> ready[0]++);
            });
    ClientCalls.asyncServerStreamingCall(call, "req", observer);
    assertEquals(0, call.requested);
    assertThrows(
        IllegalStateException.class, () -> observer.requestSide.setOnReadyHandler(() -> {}));
    assertThrows(
        IllegalStateException.class, () -> observer.requestSide.disableAutoInboundFlowControl());

    observer.requestSide.request(2);
    call.serverSends("a");
    assertEquals(2, call.requested, "no automatic request");
    call.becomesReady();
    assertEquals(1, ready[0]);
  }

  @Test
  void clientStreamingReturnsRequestObserver() {
    StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(call, responses);
    assertEquals(2, call.requested);
    requests.onNext("a");
    requests.onNext("b");
    requests.onCompleted();
    assertEquals(List.of("a", "b"), call.sent);
    assertTrue(call.halfClosed);
    assertThrows(IllegalStateException.class, () -> requests.onNext("late"));

    call.serverSends("sum");
    call.serverCloses(Status.OK, new Metadata());
    assertEquals(List.of("next:sum", "completed"), responses.events);
  }

  @Test
  void bidiRequestObserverErrorCancelsCall() {
    StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(call, responses);
    assertEquals(1, call.requested);
    RuntimeException why = new RuntimeException("changed my mind");
    requests.onError(why);

    assertSame(why, call.cancelCause);
    assertEquals(
        Status.Code.CANCELLED, ((StatusRuntimeException) responses.error).getStatus().getCode());
  }

  @Test
  void requestSideExposesReadinessAndCompression() {
    RequestSideObserver observer = new RequestSideObserver(requestSide -> {});
    ClientCalls.asyncBidiStreamingCall(call, observer);
    call.ready = false;
    assertFalse(observer.requestSide.isReady());
    observer.requestSide.setMessageCompression(true);
    assertEquals(Boolean.TRUE, call.messageCompression);
    observer.requestSide.cancel("stop", null);
    assertEquals("stop", call.cancelMessage);
  }

  @Test
  void futureUnaryCallCompletesWithResponse() throws Exception {
    CompletableFuture<String> future = ClientCalls.futureUnaryCall(call, "req");
    assertFalse(future.isDone());
    call.serverSends("resp");
    call.serverCloses(Status.OK, new Metadata());
    assertEquals("resp", future.get());
  }

  @Test
  void futureUnaryCallFailsWithStatus() {
    CompletableFuture<String> future = ClientCalls.futureUnaryCall(call, "req");
    Metadata trailers = new Metadata().put("x-k", "v");
    call.serverCloses(Status.UNAVAILABLE, trailers);
    ExecutionException e = assertThrows(ExecutionException.class, future::get);
    StatusRuntimeException sre = assertInstanceOf(StatusRuntimeException.class, e.getCause());
    assertEquals(Status.Code.UNAVAILABLE, sre.getStatus().getCode());
    assertSame(trailers, sre.getTrailers());
  }

  @Test
  void futureUnaryCallWithoutResponseIsInternal() {
    CompletableFuture<String> future = ClientCalls.futureUnaryCall(call, "req");
    call.serverCloses(Status.OK, new Metadata());
    ExecutionException e = assertThrows(ExecutionException.class, future::get);
    assertEquals(
        Status.Code.INTERNAL, ((StatusRuntimeException) e.getCause()).getStatus().getCode());
  }

  @Test
  void cancellingFutureCancelsCall() {
    CompletableFuture<String> future = ClientCalls.futureUnaryCall(call, "req");
    assertTrue(future.cancel(true));
    assertTrue(call.isCancelled());
    assertTrue(future.isCancelled());
  }

  /** A ClientResponseObserver that keeps the request side and configures it in beforeStart. */
  private static final class RequestSideObserver extends RecordingObserver<String>
      implements ClientResponseObserver<String, String> {
    private final Consumer<ClientCallStreamObserver<String>> setup;
    ClientCallStreamObserver<String> requestSide;

    RequestSideObserver(Consumer<ClientCallStreamObserver<String>> setup) {
      this.setup = setup;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<String> requestStream) {
      requestSide = requestStream;
      setup.accept(requestStream);
    }
  }
}
