package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.StreamProgress;
import dev.switchboard.testing.StringMarshaller;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelayedStreamTest {
  /** Only its queue is used (a cancelled stream withdraws from it): no channel behind it. */
  private final PickerWrapper owner = new PickerWrapper(null);

  private final FakeTransport transport =
      new FakeTransport(new InetSocketAddress("127.0.0.1", 1), null, false, null);
  private final RecordingTransportListener listener = new RecordingTransportListener();
  private final DelayedStream<String> stream =
      new DelayedStream<>(
          owner,
          ChannelFixture.BIDI,
          new Metadata(),
          CallOptions.DEFAULT,
          StringMarshaller.INSTANCE,
          listener,
          Runnable::run);

  /** A gate entered as a picker would. */
  private static StreamGate entered(FakeTransport t) {
    StreamGate gate = new StreamGate(t);
    assertTrue(gate.tryEnter());
    return gate;
  }

  @Test
  void replaysEverythingInOrderThenPassesThrough() {
    stream.request(1);
    stream.writeMessage("a");
    stream.flush();
    assertFalse(stream.isReady());
    stream.realize(entered(transport));
    stream.writeMessage("b");
    stream.halfClose();
    FakeStream<?> real = transport.streams.get(0);
    assertEquals(
        List.of("start", "request 1", "write a", "flush", "write b", "halfClose"), real.events);
    assertTrue(stream.isReady());
  }

  @Test
  void realizeLeavesTheGateSoAPendingShutdownRuns() {
    StreamGate gate = entered(transport);
    gate.close(() -> transport.shutdown(Status.UNAVAILABLE.withDescription("switched away")));
    assertEquals(null, transport.shutdownReason, "waits for the stream being started");
    stream.realize(gate);
    assertEquals("start", transport.streams.get(0).events.get(0));
    assertEquals("switched away", transport.shutdownReason.getDescription());
  }

  @Test
  void cancelBeforeRealizingClosesTheListenerOnce() {
    stream.writeMessage("dropped");
    Status reason = Status.CANCELLED.withDescription("gone");
    stream.cancel(reason);
    stream.cancel(Status.CANCELLED.withDescription("again"));
    assertEquals(reason, listener.status);
    assertEquals(1, listener.closeCount);
    assertTrue(stream.isCancelled());

    StreamGate gate = entered(transport);
    stream.realize(gate);
    stream.fail(Status.UNAVAILABLE);
    assertTrue(transport.streams.isEmpty(), "a cancelled call never gets a real stream");
    assertEquals(1, listener.closeCount);
    gate.close(null);
    assertTrue(gate.isClosed());
    assertFalse(gate.tryEnter());
  }

  @Test
  void startIsNotCalledOnADelayedStream() {
    assertThrows(IllegalStateException.class, () -> stream.start(listener));
  }

  @Test
  void cancelAfterRealizingGoesToTheRealStream() {
    stream.realize(entered(transport));
    stream.cancel(Status.CANCELLED);
    FakeStream<?> real = transport.streams.get(0);
    assertEquals(Status.CANCELLED, real.cancelReason);
    assertEquals(1, listener.closeCount);
  }

  @Test
  void failClosesThroughTheListener() {
    Status error = Status.UNAVAILABLE.withDescription("no backends");
    stream.fail(error);
    assertEquals(error, listener.status);
    assertEquals(StreamProgress.PROCESSED, listener.progress);
    stream.writeMessage("ignored");
    assertFalse(stream.isReady());
  }

  @Test
  void throwingTransportRefusesTheStreamSoItCanBeRetried() {
    FakeTransport broken =
        new FakeTransport(new InetSocketAddress("127.0.0.1", 2), null, false, null) {
          @Override
          public <ReqT> FakeStream<ReqT> newStream(
              dev.switchboard.api.MethodDescriptor<ReqT, ?> m,
              Metadata h,
              CallOptions o,
              dev.switchboard.api.Marshaller<ReqT> r) {
            throw new IllegalStateException("closed");
          }
        };
    stream.realize(entered(broken));
    assertEquals(Status.Code.UNAVAILABLE, listener.status.getCode());
    assertEquals(StreamProgress.REFUSED, listener.progress);
  }

  @Test
  void onReadyDuringTheReplayWaitsUntilIsReadyCanSayTrue() {
    transport.readyOnStart = true; // the real stream reports ready while the replay has not run
    listener.readiness = stream::isReady;
    stream.request(1);
    stream.writeMessage("a");
    stream.realize(entered(transport));
    assertEquals(
        List.of(true),
        listener.readyChecks,
        "onReady is delivered once, after the replay, when isReady() is true");
    transport.streams.get(0).listener.onReady();
    assertEquals(List.of(true, true), listener.readyChecks, "then it passes straight through");
  }

  @Test
  void onReadyHeldBackIsDroppedWhenTheStreamFailsInstead() {
    listener.readiness = stream::isReady;
    stream.writeMessage("a");
    stream.fail(Status.UNAVAILABLE.withDescription("no backend"));
    assertEquals(List.of(), listener.readyChecks);
    assertEquals(1, listener.closeCount);
  }
}
