package dev.switchboard.api.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServerCallsTest {
  private final FakeServerCall unaryCall = new FakeServerCall(MethodType.UNARY);
  private final FakeServerCall bidiCall = new FakeServerCall(MethodType.BIDI_STREAMING);

  @Test
  void unaryMethodRunsOnHalfCloseAndSendsHeadersWithFirstResponse() {
    ServerCallHandler<String, String> handler =
        ServerCalls.asyncUnaryCall(
            (request, responses) -> {
              responses.onNext("hello " + request);
              responses.onCompleted();
            });
    ServerCallListener<String> listener = handler.startCall(unaryCall, new Metadata());
    assertEquals(2, unaryCall.requested, "two, so that a second request is noticed");

    listener.onMessage("ada");
    assertTrue(unaryCall.messages.isEmpty());
    listener.onHalfClose();
    assertEquals(1, unaryCall.headersSent.size());
    assertEquals(List.of("hello ada"), unaryCall.messages);
    assertEquals(Status.OK, unaryCall.closeStatus);
  }

  @Test
  void unaryMethodRefusesSecondRequest() {
    int[] invoked = {0};
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncUnaryCall((request, responses) -> invoked[0]++)
            .startCall(unaryCall, new Metadata());
    listener.onMessage("a");
    listener.onMessage("b");
    listener.onHalfClose();
    assertEquals(Status.INTERNAL.withDescription("Too many requests"), unaryCall.closeStatus);
    assertEquals(0, invoked[0]);
  }

  @Test
  void unaryMethodRefusesHalfCloseWithoutRequest() {
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncUnaryCall((request, responses) -> {})
            .startCall(unaryCall, new Metadata());
    listener.onHalfClose();
    assertEquals(
        Status.INTERNAL.withDescription("Half-closed without a request"), unaryCall.closeStatus);
  }

  @Test
  void onErrorUsesStatusAndTrailersOfException() {
    Metadata trailers = new Metadata().put("x-why", "missing");
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncUnaryCall(
                (request, responses) ->
                    responses.onError(
                        new StatusException(
                            Status.NOT_FOUND.withDescription("no " + request), trailers)))
            .startCall(unaryCall, new Metadata());
    listener.onMessage("cat");
    listener.onHalfClose();

    assertEquals(Status.NOT_FOUND.withDescription("no cat"), unaryCall.closeStatus);
    assertSame(trailers, unaryCall.closeTrailers);
    assertTrue(unaryCall.headersSent.isEmpty(), "trailers-only");
  }

  @Test
  void onErrorWithPlainExceptionIsUnknownWithoutDetail() {
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncUnaryCall(
                (request, responses) -> responses.onError(new IllegalStateException("secret")))
            .startCall(unaryCall, new Metadata());
    listener.onMessage("x");
    listener.onHalfClose();

    assertEquals(Status.Code.UNKNOWN, unaryCall.closeStatus.getCode());
    assertNull(unaryCall.closeStatus.getDescription());
    assertTrue(unaryCall.closeTrailers.isEmpty());
  }

  @Test
  void thrownStatusRuntimeExceptionEndsCallWithItsStatus() {
    Metadata trailers = new Metadata().put("x-k", "v");
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncUnaryCall(
                (request, responses) -> {
                  throw Status.INVALID_ARGUMENT.withDescription("bad").asRuntimeException(trailers);
                })
            .startCall(unaryCall, new Metadata());
    listener.onMessage("x");
    listener.onHalfClose();
    assertEquals(Status.INVALID_ARGUMENT.withDescription("bad"), unaryCall.closeStatus);
    assertSame(trailers, unaryCall.closeTrailers);
  }

  @Test
  void otherExceptionsPropagateToServer() {
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncUnaryCall(
                (request, responses) -> {
                  throw new IllegalStateException("bug");
                })
            .startCall(unaryCall, new Metadata());
    listener.onMessage("x");
    assertThrows(IllegalStateException.class, listener::onHalfClose);
    assertNull(unaryCall.closeStatus, "the server core answers UNKNOWN");
  }

  @Test
  void cancelledStreamingOnNextThrowsWithoutCancelHandler() {
    FakeServerCall call = new FakeServerCall(MethodType.SERVER_STREAMING);
    AtomicReference<StreamObserver<String>> out = new AtomicReference<>();
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncServerStreamingCall(
                (request, responses) -> out.set(responses))
            .startCall(call, new Metadata());
    listener.onMessage("go");
    listener.onHalfClose();
    call.cancelled = true;
    listener.onCancel();

    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> out.get().onNext("late"));
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertTrue(((ServerCallStreamObserver<String>) out.get()).isCancelled());
  }

  @Test
  void cancelHandlerRunsAndSilencesLateResponses() {
    FakeServerCall call = new FakeServerCall(MethodType.SERVER_STREAMING);
    AtomicReference<StreamObserver<String>> out = new AtomicReference<>();
    int[] cancels = {0};
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncServerStreamingCall(
                (request, responses) -> {
                  ((ServerCallStreamObserver<String>) responses)
                      .setOnCancelHandler(() -> cancels[0]++);
                  out.set(responses);
                })
            .startCall(call, new Metadata());
    listener.onMessage("go");
    listener.onHalfClose();
    listener.onCancel();

    assertEquals(1, cancels[0]);
    out.get().onNext("late");
    assertTrue(call.messages.isEmpty());
  }

  @Test
  void handlersCanOnlyBeSetDuringSetup() {
    AtomicReference<ServerCallStreamObserver<String>> out = new AtomicReference<>();
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncUnaryCall(
                (request, responses) -> out.set((ServerCallStreamObserver<String>) responses))
            .startCall(unaryCall, new Metadata());
    listener.onMessage("x");
    listener.onHalfClose();
    ServerCallStreamObserver<String> responses = out.get();
    assertThrows(IllegalStateException.class, () -> responses.setOnCancelHandler(() -> {}));
    assertThrows(IllegalStateException.class, () -> responses.setOnReadyHandler(() -> {}));
    assertThrows(IllegalStateException.class, () -> responses.setOnCloseHandler(() -> {}));
    assertThrows(IllegalStateException.class, responses::disableAutoInboundFlowControl);
  }

  @Test
  void readinessBeforeInvocationIsReplayedToHandler() {
    int[] readies = {0};
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncUnaryCall(
                (request, responses) ->
                    ((ServerCallStreamObserver<String>) responses)
                        .setOnReadyHandler(() -> readies[0]++))
            .startCall(unaryCall, new Metadata());
    listener.onReady();
    listener.onMessage("x");
    listener.onHalfClose();
    assertEquals(1, readies[0]);
    listener.onReady();
    assertEquals(2, readies[0]);
  }

  @Test
  void closeHandlerRunsOnComplete() {
    int[] closes = {0};
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncBidiStreamingCall(
                responses -> {
                  ((ServerCallStreamObserver<String>) responses)
                      .setOnCloseHandler(() -> closes[0]++);
                  return new RecordingObserver<>();
                })
            .startCall(bidiCall, new Metadata());
    listener.onComplete();
    assertEquals(1, closes[0]);
  }

  @Test
  void streamingRequestsAreFlowControlledAutomatically() {
    RecordingObserver<String> requests = new RecordingObserver<>();
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncBidiStreamingCall(responses -> requests)
            .startCall(bidiCall, new Metadata());
    assertEquals(1, bidiCall.requested);
    listener.onMessage("a");
    listener.onMessage("b");
    assertEquals(3, bidiCall.requested);
    listener.onHalfClose();
    assertEquals(List.of("next:a", "next:b", "completed"), requests.events);
  }

  @Test
  void streamingFlowControlCanBeManual() {
    FakeServerCall call = new FakeServerCall(MethodType.CLIENT_STREAMING);
    AtomicReference<ServerCallStreamObserver<String>> out = new AtomicReference<>();
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncClientStreamingCall(
                responses -> {
                  ServerCallStreamObserver<String> r = (ServerCallStreamObserver<String>) responses;
                  r.disableAutoInboundFlowControl();
                  out.set(r);
                  return new RecordingObserver<>();
                })
            .startCall(call, new Metadata());
    assertEquals(0, call.requested);
    listener.onMessage("a");
    assertEquals(0, call.requested);
    out.get().request(5);
    assertEquals(5, call.requested);
  }

  @Test
  void cancelBeforeHalfCloseFailsRequestObserver() {
    RecordingObserver<String> requests = new RecordingObserver<>();
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncClientStreamingCall(responses -> requests)
            .startCall(new FakeServerCall(MethodType.CLIENT_STREAMING), new Metadata());
    listener.onMessage("a");
    listener.onCancel();
    assertEquals(List.of("next:a", "error"), requests.events);
    assertEquals(
        Status.Code.CANCELLED,
        assertInstanceOf(StatusRuntimeException.class, requests.error).getStatus().getCode());
  }

  @Test
  void streamingMethodThrowingStatusEndsCall() {
    ServerCallListener<String> listener =
        ServerCalls.<String, String>asyncBidiStreamingCall(
                responses -> {
                  throw Status.UNAUTHENTICATED.asRuntimeException();
                })
            .startCall(bidiCall, new Metadata());
    assertEquals(Status.Code.UNAUTHENTICATED, bidiCall.closeStatus.getCode());
    listener.onMessage("ignored");
    listener.onHalfClose();
  }

  @Test
  void responseObserverExposesCallSettings() {
    bidiCall.deadline = Deadline.after(1, TimeUnit.SECONDS);
    AtomicReference<ServerCallStreamObserver<String>> out = new AtomicReference<>();
    ServerCalls.<String, String>asyncBidiStreamingCall(
            responses -> {
              out.set((ServerCallStreamObserver<String>) responses);
              return new RecordingObserver<>();
            })
        .startCall(bidiCall, new Metadata());
    ServerCallStreamObserver<String> responses = out.get();

    responses.setCompression("gzip");
    responses.setMessageCompression(false);
    assertEquals("gzip", bidiCall.compression);
    assertEquals(Boolean.FALSE, bidiCall.messageCompression);
    assertSame(bidiCall.deadline, responses.getDeadline());
    responses.onNext("a");
    responses.onNext("b");
    assertEquals(1, bidiCall.headersSent.size());
    responses.onCompleted();
    assertThrows(IllegalStateException.class, () -> responses.onNext("late"));
  }

  @Test
  void wrongHandlerKindIsRefused() {
    ServerCallHandler<String, String> unary = ServerCalls.asyncUnaryCall((r, o) -> {});
    assertThrows(IllegalArgumentException.class, () -> unary.startCall(bidiCall, new Metadata()));
    ServerCallHandler<String, String> bidi =
        ServerCalls.asyncBidiStreamingCall(o -> new RecordingObserver<>());
    assertThrows(IllegalArgumentException.class, () -> bidi.startCall(unaryCall, new Metadata()));
  }

  @Test
  void unimplementedHelpersAnswerUnimplemented() {
    RecordingObserver<String> responses = new RecordingObserver<>();
    ServerCalls.asyncUnimplementedUnaryCall(unaryCall.method, responses);
    StatusRuntimeException e = assertInstanceOf(StatusRuntimeException.class, responses.error);
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("test.Svc/UNARY"));

    RecordingObserver<String> more = new RecordingObserver<>();
    StreamObserver<String> requests =
        ServerCalls.asyncUnimplementedStreamingCall(bidiCall.method, more);
    requests.onNext("ignored");
    assertEquals(List.of("error"), more.events);
  }
}
