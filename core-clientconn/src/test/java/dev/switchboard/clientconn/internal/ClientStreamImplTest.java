package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.ForwardingClientStream;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.testing.RecordingClientListener;
import dev.switchboard.testing.StringMarshaller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Calls: marshalling, deadlines, executors, response rules, interceptors. */
class ClientStreamImplTest {
  private final ChannelFixture f = new ChannelFixture();

  @Test
  void unaryRoundTripClosesEveryMessageStream() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    FakeStream<String> stream = f.lastStream();
    assertEquals(List.of("hi"), stream.messages);
    assertEquals("hi", stream.encoded("hi"));
    Metadata headers = new Metadata().put("x-server", "1");
    stream.deliverHeaders(headers);
    FakeStream.TrackedInputStream in = stream.deliverMessage("hello");
    stream.close(Status.OK, new Metadata().put("x-trailer", "t"));
    assertEquals("1", call.headers().get("x-server"));
    assertEquals(List.of("hello"), call.messages());
    assertEquals(Status.OK, call.status());
    assertEquals("t", call.trailers().get("x-trailer"));
    assertTrue(in.closed);
  }

  @Test
  void channelDefaultsAreApplied() {
    ClientConnImpl conn =
        f.readyChannel(
            f.options()
                .maxSendMessageSize(1000)
                .defaultCallOptions(CallOptions.DEFAULT.withAuthority("default.example"))
                .build());
    ChannelFixture.startCall(conn, CallOptions.DEFAULT.withMaxInboundMessageSize(10));
    CallOptions seen = f.lastStream().callOptions;
    assertEquals(10, seen.getMaxInboundMessageSize());
    assertEquals(1000, seen.getMaxOutboundMessageSize());
    assertEquals("default.example", seen.getAuthority());

    ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(
        DialOptions.DEFAULT_MAX_RECEIVE_MESSAGE_SIZE,
        f.lastStream().callOptions.getMaxInboundMessageSize());
  }

  @Test
  void missingCodecFailsWithoutTouchingTheNetwork() {
    ClientConnImpl conn = f.readyChannel();
    MethodDescriptor<String, String> viaCodec =
        MethodDescriptor.of("test.Echo/Codec", MethodType.UNARY, String.class, String.class);
    RecordingClientListener<String> call =
        ChannelFixture.startCall(conn, viaCodec, CallOptions.DEFAULT, "hi");
    assertEquals(Status.Code.INTERNAL, call.status().getCode());
    assertTrue(
        call.status().getDescription().startsWith("no codec 'proto' deployed"),
        call.status().getDescription());
    assertTrue(f.transport.last().streams.isEmpty());

    f.registerStringCodec("proto");
    ChannelFixture.startCall(conn, viaCodec, CallOptions.DEFAULT, "hi");
    assertEquals(List.of("hi"), f.lastStream().messages);
  }

  @Test
  void unsupportedMessageClassIsExplained() {
    f.registerStringCodec("proto");
    ClientConnImpl conn = f.readyChannel();
    MethodDescriptor<Integer, String> wrong =
        MethodDescriptor.of("test.Echo/Int", MethodType.UNARY, Integer.class, String.class);
    RecordingClientListener<String> listener = new RecordingClientListener<>();
    ClientStream<Integer, String> call = conn.newStream(wrong, CallOptions.DEFAULT);
    call.start(listener, new Metadata());
    assertEquals(Status.Code.INTERNAL, listener.status().getCode());
    assertEquals(
        "codec 'proto' cannot marshal java.lang.Integer for test.Echo/Int"
            + " (java.lang.Integer is not a String)",
        listener.status().getDescription(),
        "the codec's own reason is carried into the status");
  }

  @Test
  void missingCompressorIsExplained() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withCompression("zstd"));
    assertEquals(
        Status.INTERNAL.withDescription(
            "no compressor 'zstd' deployed: add the jar "
                + "providing it to the class path (one listing it in "
                + "META-INF/services/dev.switchboard.api.spi.CompressorProvider)"),
        call.status());
    ChannelFixture.startCall(conn, CallOptions.DEFAULT.withCompression("gzip"));
    assertEquals("gzip", f.lastStream().callOptions.getCompressorName());
  }

  @Test
  void deadlineCancelsTheStream() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call =
        ChannelFixture.startCall(
            conn,
            CallOptions.DEFAULT.withDeadline(
                Deadline.after(2, TimeUnit.SECONDS, f.clock.ticker())));
    FakeStream<String> stream = f.lastStream();
    f.clock.forwardTime(1999, TimeUnit.MILLISECONDS);
    assertFalse(call.isClosed());
    f.clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, stream.cancelReason.getCode());
    assertEquals(Status.Code.DEADLINE_EXCEEDED, call.status().getCode());
    assertEquals(
        "deadline exceeded after 2.000s calling test.Echo/Unary", call.status().getDescription());
  }

  @Test
  void serverResetAfterTheDeadlineIsReportedAsDeadlineExceeded() {
    ClientConnImpl conn = f.readyChannel();
    long[] now = {0};
    Deadline deadline = Deadline.after(2, TimeUnit.SECONDS, () -> now[0]);
    RecordingClientListener<String> early =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withDeadline(deadline));
    f.lastStream().close(Status.CANCELLED.withDescription("reset"), new Metadata());
    assertEquals(Status.Code.CANCELLED, early.status().getCode(), "deadline not reached yet");

    RecordingClientListener<String> late =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withDeadline(deadline));
    now[0] = TimeUnit.SECONDS.toNanos(3); // expired, but our own timer has not run yet
    f.lastStream().close(Status.CANCELLED.withDescription("reset"), new Metadata());
    assertEquals(
        Status.DEADLINE_EXCEEDED.withDescription(
            "deadline exceeded calling "
                + "test.Echo/Unary (the server's deadline timer fired first)"),
        late.status());
  }

  @Test
  void finishedCallCancelsItsDeadlineTimer() {
    ClientConnImpl conn = f.readyChannel(f.options().disableIdleTimeout().build());
    ChannelFixture.startCall(
        conn,
        CallOptions.DEFAULT.withDeadline(Deadline.after(2, TimeUnit.SECONDS, f.clock.ticker())));
    f.lastStream().deliverMessage("r");
    f.lastStream().close(Status.OK, new Metadata());
    assertEquals(0, f.clock.numScheduledTasks());
  }

  @Test
  void expiredDeadlineFailsBeforeTheNetwork() {
    ClientConnImpl conn = f.dial("fake:///svc");
    RecordingClientListener<String> call =
        ChannelFixture.startCall(
            conn,
            CallOptions.DEFAULT.withDeadline(
                Deadline.after(-1, TimeUnit.SECONDS, f.clock.ticker())));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, call.status().getCode());
    assertTrue(
        call.status().getDescription().startsWith("deadline exceeded before the call started"));
    assertTrue(f.resolver.resolvers.isEmpty(), "the channel did not even leave IDLE");
  }

  @Test
  void decodeFailureCancelsWithInternal() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    FakeStream<String> stream = f.lastStream();
    FakeStream.TrackedInputStream bad = stream.deliverMessage(StringMarshaller.POISON);
    assertTrue(bad.closed);
    assertEquals(Status.Code.INTERNAL, stream.cancelReason.getCode());
    assertEquals(Status.Code.INTERNAL, call.status().getCode());
    assertTrue(call.status().getDescription().startsWith("failed to decode the response"));
    assertTrue(call.messages().isEmpty());
  }

  @Test
  void messagesArrivingAfterCancelAreStillClosed() {
    ClientConnImpl conn = f.readyChannel();
    ClientStream<String, String> call = conn.newStream(ChannelFixture.BIDI, CallOptions.DEFAULT);
    RecordingClientListener<String> listener = new RecordingClientListener<>();
    call.start(listener, new Metadata());
    FakeStream<String> stream = f.lastStream();
    call.cancel(null, new IllegalStateException("stop"));
    assertEquals(Status.Code.CANCELLED, listener.status().getCode());
    assertEquals(
        "cancelled: java.lang.IllegalStateException: stop", listener.status().getDescription());
    FakeStream.TrackedInputStream late = new FakeStream.TrackedInputStream(new byte[] {'x'});
    stream.listener.messageRead(late);
    assertTrue(late.closed);
    assertTrue(listener.messages().isEmpty());
    call.cancel("again", null); // idempotent
    assertEquals(1, listener.closeCount());
  }

  @Test
  void cancelBeforeStartFailsTheStart() {
    ClientConnImpl conn = f.readyChannel();
    ClientStream<String, String> call = conn.newStream(ChannelFixture.UNARY, CallOptions.DEFAULT);
    call.cancel("never mind", null);
    RecordingClientListener<String> listener = new RecordingClientListener<>();
    call.start(listener, new Metadata());
    assertEquals(Status.CANCELLED.withDescription("never mind"), listener.status());
    assertTrue(f.transport.last().streams.isEmpty());
  }

  @Test
  void unaryWithTwoResponsesIsInternal() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.lastStream().deliverMessage("one");
    f.lastStream().deliverMessage("two");
    assertEquals(Status.Code.INTERNAL, call.status().getCode());
    assertTrue(call.status().getDescription().contains("more than one response"));
    assertEquals(List.of("one"), call.messages());
  }

  @Test
  void unaryWithoutResponseIsInternal() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.lastStream().close(Status.OK, new Metadata());
    assertEquals(Status.Code.INTERNAL, call.status().getCode());
    assertTrue(call.status().getDescription().contains("sent no response message"));
  }

  @Test
  void unaryErrorWithoutResponseKeepsTheServerStatus() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    Status notFound = Status.NOT_FOUND.withDescription("no such thing");
    f.lastStream().close(notFound, new Metadata());
    assertEquals(notFound, call.status());
  }

  @Test
  void streamingCallsTakeManyResponsesAndFlushEachMessage() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call =
        ChannelFixture.startCall(conn, ChannelFixture.BIDI, CallOptions.DEFAULT, "a");
    FakeStream<String> stream = f.lastStream();
    assertEquals(List.of("start", "request 2", "write a", "flush", "halfClose"), stream.events);
    stream.deliverMessage("x");
    stream.deliverMessage("y");
    stream.close(Status.OK, new Metadata());
    assertEquals(List.of("x", "y"), call.messages());
    assertEquals(Status.OK, call.status());
  }

  @Test
  void callbacksRunOnTheCallExecutor() {
    ClientConnImpl conn = f.readyChannel();
    RecordingClientListener<String> call =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withExecutor(f.clock.executor()));
    f.lastStream().deliverMessage("r");
    f.lastStream().close(Status.OK, new Metadata());
    assertFalse(call.isClosed());
    f.clock.runPendingTasks();
    assertEquals(List.of("r"), call.messages());
    assertEquals(Status.OK, call.status());
  }

  @Test
  void dialExecutorIsUsedWhenTheCallNamesNone() {
    List<Runnable> tasks = new ArrayList<>();
    ClientConnImpl conn = f.readyChannel(f.options().executor(tasks::add).build());
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.lastStream().close(Status.ABORTED, new Metadata());
    assertFalse(call.isClosed());
    assertEquals(1, tasks.size());
    tasks.remove(0).run();
    assertEquals(Status.ABORTED, call.status());
  }

  @Test
  void listenerExceptionCancelsTheCall() {
    ClientConnImpl conn = f.readyChannel();
    ClientStream<String, String> call = conn.newStream(ChannelFixture.BIDI, CallOptions.DEFAULT);
    Status[] closed = new Status[1];
    call.start(
        new ClientStreamListener<>() {
          @Override
          public void onMessage(String message) {
            throw new IllegalArgumentException("app bug");
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed[0] = status;
          }
        },
        new Metadata());
    f.lastStream().deliverMessage("x");
    assertEquals(Status.Code.CANCELLED, closed[0].getCode());
    assertTrue(closed[0].getDescription().contains("app bug"));
  }

  @Test
  void misuseIsRefused() {
    ClientConnImpl conn = f.readyChannel();
    ClientStream<String, String> call = conn.newStream(ChannelFixture.UNARY, CallOptions.DEFAULT);
    assertThrows(IllegalStateException.class, () -> call.sendMessage("early"));
    call.start(new RecordingClientListener<>(), new Metadata());
    assertThrows(
        IllegalStateException.class,
        () -> call.start(new RecordingClientListener<>(), new Metadata()));
    call.halfClose();
    assertThrows(IllegalStateException.class, () -> call.sendMessage("late"));
  }

  @Test
  void interceptorsSeeTheCallInListOrder() {
    List<String> order = new ArrayList<>();
    ClientInterceptor first = tagging("first", order);
    ClientInterceptor second = tagging("second", order);
    ClientConnImpl conn = f.readyChannel(f.options().intercept(first, second).build());
    ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(List.of("first", "second"), order);
    assertEquals(List.of("first", "second"), f.lastStream().headers.getAll("x-seen-by"));
  }

  private static ClientInterceptor tagging(String name, List<String> order) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        order.add(name);
        return new ForwardingClientStream<>(next.newStream(method, callOptions)) {
          @Override
          public void start(ClientStreamListener<RespT> listener, Metadata headers) {
            headers.put("x-seen-by", name);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  @Test
  void onReadyBeforeTheCallPublishedItsStreamIsDeliveredWhenIsReadySaysTrue() {
    ClientConnImpl conn = f.readyChannel();
    f.transport.last().readyOnStart = true; // ready inside start(), on the direct call executor
    ClientStream<String, String> call = conn.newStream(ChannelFixture.BIDI, CallOptions.DEFAULT);
    RecordingClientListener<String> listener = new RecordingClientListener<>();
    listener.readiness(call::isReady);
    call.start(listener, new Metadata());
    assertEquals(List.of(true), listener.readyChecks());
  }
}
