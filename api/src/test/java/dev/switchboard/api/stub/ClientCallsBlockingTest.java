package dev.switchboard.api.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientCallsBlockingTest {
  private static final MethodDescriptor<String, String> UNARY =
      MethodDescriptor.of("test.Svc/Unary", MethodType.UNARY, String.class, String.class);
  private static final MethodDescriptor<String, String> WATCH =
      MethodDescriptor.of(
          "test.Svc/Watch", MethodType.SERVER_STREAMING, String.class, String.class);

  private final FakeChannel channel = new FakeChannel();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void blockingUnaryRunsCallbacksOnCallingThread() {
    // The "server" answers from its own thread; the callbacks must still run on ours.
    channel.onNewStream =
        stream ->
            stream.onHalfClose =
                () ->
                    startThread(
                        () -> {
                          stream.serverSends("hello " + stream.sent.get(0));
                          stream.serverCloses(Status.OK, new Metadata());
                        });
    String response = ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "ada");

    assertEquals("hello ada", response);
    FakeClientStream<String, String> stream = channel.stream(0);
    assertNotNull(stream.callOptions.getExecutor(), "a per-call executor");
    assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), stream.callbackThreads);
  }

  @Test
  void blockingUnaryKeepsOtherCallOptions() {
    channel.onNewStream =
        stream ->
            stream.onHalfClose =
                () -> {
                  stream.serverSends("ok");
                  stream.serverCloses(Status.OK, new Metadata());
                };
    CallOptions options =
        CallOptions.DEFAULT.withAuthority("other.example").withCompression("gzip");
    ClientCalls.blockingUnaryCall(channel, UNARY, options, "x");
    assertEquals("other.example", channel.stream(0).callOptions.getAuthority());
    assertEquals("gzip", channel.stream(0).callOptions.getCompressorName());
  }

  @Test
  void blockingUnaryThrowsStatusWithTrailers() {
    Metadata trailers = new Metadata().put("x-retry", "no");
    channel.onNewStream =
        stream ->
            stream.onHalfClose =
                () ->
                    stream.serverCloses(Status.PERMISSION_DENIED.withDescription("nope"), trailers);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x"));
    assertEquals(Status.PERMISSION_DENIED.withDescription("nope"), e.getStatus());
    assertSame(trailers, e.getTrailers());
  }

  @Test
  void interruptedBeforeBlockingCancelsCall() {
    Thread.currentThread().interrupt();
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x"));

    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertInstanceOf(InterruptedException.class, channel.stream(0).cancelCause);
    assertTrue(Thread.interrupted(), "interrupt flag restored");
  }

  @Test
  void interruptWhileBlockedCancelsCall() throws Exception {
    CountDownLatch sent = new CountDownLatch(1);
    channel.onNewStream = stream -> stream.onHalfClose = sent::countDown;
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "x");
              } catch (Throwable t) {
                thrown.set(t);
              }
              stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    assertTrue(sent.await(5, TimeUnit.SECONDS));
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(5));

    assertFalse(caller.isAlive());
    StatusRuntimeException e = assertInstanceOf(StatusRuntimeException.class, thrown.get());
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertTrue(channel.stream(0).isCancelled());
    assertTrue(stillInterrupted.get());
  }

  @Test
  void serverStreamingIteratorRequestsOneResponseAtATime() {
    List<String> script = List.of("a", "b", "c");
    channel.onNewStream =
        stream ->
            stream.onRequest =
                n -> {
                  // The server sends only what was asked for, and closes after the last one was
                  // asked for.
                  int asked = stream.requested;
                  if (asked <= script.size()) {
                    stream.serverSends(script.get(asked - 1));
                  } else {
                    stream.serverCloses(Status.OK, new Metadata());
                  }
                };
    Iterator<String> responses =
        ClientCalls.blockingServerStreamingCall(channel, WATCH, CallOptions.DEFAULT, "go");
    FakeClientStream<String, String> stream = channel.stream(0);
    assertEquals(List.of("go"), stream.sent);
    assertEquals(1, stream.requested);

    assertTrue(responses.hasNext());
    assertEquals(1, stream.requested, "nothing more asked for before the first is taken");
    assertEquals("a", responses.next());
    assertEquals(2, stream.requested);

    List<String> rest = new ArrayList<>();
    responses.forEachRemaining(rest::add);
    assertEquals(List.of("b", "c"), rest);
    assertEquals(4, stream.requested);
    assertFalse(responses.hasNext());
  }

  @Test
  void serverStreamingIteratorThrowsStatusAfterResponses() {
    Metadata trailers = new Metadata().put("x-k", "v");
    channel.onNewStream =
        stream ->
            stream.onHalfClose =
                () ->
                    startThread(
                        () -> {
                          stream.serverSends("a");
                          stream.serverCloses(Status.UNAVAILABLE.withDescription("gone"), trailers);
                        });
    Iterator<String> responses =
        ClientCalls.blockingServerStreamingCall(channel, WATCH, CallOptions.DEFAULT, "go");

    assertEquals("a", responses.next());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, responses::hasNext);
    assertEquals(Status.UNAVAILABLE.withDescription("gone"), e.getStatus());
    assertSame(trailers, e.getTrailers());
    assertThrows(StatusRuntimeException.class, responses::next, "and again");
  }

  @Test
  void interruptedIterationCancelsCall() {
    Iterator<String> responses =
        ClientCalls.blockingServerStreamingCall(channel, WATCH, CallOptions.DEFAULT, "go");
    Thread.currentThread().interrupt();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, responses::hasNext);
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertTrue(channel.stream(0).isCancelled());
    assertTrue(Thread.interrupted());
  }

  private static void startThread(Runnable task) {
    Thread t = new Thread(task, "fake-server");
    t.setDaemon(true);
    t.start();
  }
}
