package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelayedStreamTest {
  private final PickerWrapper owner = new PickerWrapper();
  private final FakeTransport transport =
      new FakeTransport(new InetSocketAddress("127.0.0.1", 1), null, false, null);
  private final DelayedStream<String> stream = new DelayedStream<>(owner, ChannelFixture.BIDI,
      new Metadata(), CallOptions.DEFAULT, StringMarshaller.INSTANCE, Runnable::run);
  private final RecordingTransportListener listener = new RecordingTransportListener();

  @Test
  void replaysEverythingInOrderThenPassesThrough() {
    stream.start(listener);
    stream.request(1);
    stream.writeMessage("a");
    stream.flush();
    assertFalse(stream.isReady());
    stream.realize(transport);
    stream.writeMessage("b");
    stream.halfClose();
    FakeStream<?> real = transport.streams.get(0);
    assertEquals(List.of("start", "request 1", "write a", "flush", "write b", "halfClose"),
        real.events);
    assertTrue(stream.isReady());
  }

  @Test
  void cancelBeforeRealizingClosesTheListenerOnce() {
    stream.start(listener);
    stream.writeMessage("dropped");
    Status reason = Status.CANCELLED.withDescription("gone");
    stream.cancel(reason);
    stream.cancel(Status.CANCELLED.withDescription("again"));
    assertEquals(reason, listener.status);
    assertEquals(1, listener.closeCount);
    assertTrue(stream.isCancelled());

    stream.realize(transport);
    stream.fail(Status.UNAVAILABLE);
    assertTrue(transport.streams.isEmpty(), "a cancelled call never gets a real stream");
    assertEquals(1, listener.closeCount);
  }

  @Test
  void cancelBeforeStartClosesOnStart() {
    stream.cancel(Status.DEADLINE_EXCEEDED);
    assertEquals(0, listener.closeCount);
    stream.start(listener);
    assertEquals(Status.DEADLINE_EXCEEDED, listener.status);
  }

  @Test
  void cancelAfterRealizingGoesToTheRealStream() {
    stream.start(listener);
    stream.realize(transport);
    stream.cancel(Status.CANCELLED);
    FakeStream<?> real = transport.streams.get(0);
    assertEquals(Status.CANCELLED, real.cancelReason);
    assertEquals(1, listener.closeCount);
  }

  @Test
  void failClosesThroughTheListener() {
    stream.start(listener);
    Status error = Status.UNAVAILABLE.withDescription("no backends");
    stream.fail(error);
    assertEquals(error, listener.status);
    stream.writeMessage("ignored");
    assertFalse(stream.isReady());
  }

  @Test
  void throwingTransportFailsTheStreamUnavailable() {
    FakeTransport broken = new FakeTransport(new InetSocketAddress("127.0.0.1", 2), null, false,
        null) {
      @Override
      public <ReqT> FakeStream<ReqT> newStream(dev.switchboard.api.MethodDescriptor<ReqT, ?> m,
          Metadata h, CallOptions o, dev.switchboard.api.Marshaller<ReqT> r) {
        throw new IllegalStateException("closed");
      }
    };
    stream.start(listener);
    stream.realize(broken);
    assertEquals(Status.Code.UNAVAILABLE, listener.status.getCode());
  }
}
