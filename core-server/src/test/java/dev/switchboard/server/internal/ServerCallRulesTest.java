package dev.switchboard.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.Status;
import dev.switchboard.testing.FakeClock;
import dev.switchboard.testing.StringMarshaller;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerCallRulesTest {
  private final ServerFixture f = new ServerFixture().start();

  @Test
  void secondRequestOnUnaryIsInternal() {
    f.unary.initialRequest = 2;
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    stream.clientSends("a");
    FakeServerStream.TrackedInput second = stream.clientSends("b");
    f.clock.runPendingTasks();

    assertEquals(Status.INTERNAL.withDescription("Too many requests"), stream.closeStatus);
    assertEquals(Status.Code.INTERNAL, stream.cancelStatus.getCode());
    assertTrue(second.closed);
    assertEquals(List.of("message:proto:a", "cancel"), f.unary.listener(0).events);
    assertTrue(f.unary.call(0).isCancelled());
  }

  @Test
  void serverStreamingAlsoTakesOneRequest() {
    f.watch.initialRequest = 2;
    FakeServerStream stream = f.startCall(ServerFixture.WATCH);
    stream.clientSends("a");
    stream.clientSends("b");
    f.clock.runPendingTasks();
    assertEquals(Status.INTERNAL.withDescription("Too many requests"), stream.closeStatus);
  }

  @Test
  void listenerSeesWhetherEachMessageArrivedCompressed() {
    f.chat.initialRequest = 3;
    List<Boolean> seen = new CopyOnWriteArrayList<>();
    f.chat.onStart =
        started ->
            started.listener().onMessage = m -> seen.add(started.call().isLastMessageCompressed());
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);
    assertFalse(f.chat.call(0).isLastMessageCompressed());
    stream.clientSends("a", true);
    stream.clientSends("b", false);
    stream.clientSends("c", true);
    f.clock.runPendingTasks();
    assertEquals(List.of(true, false, true), seen);
    assertTrue(f.chat.call(0).isLastMessageCompressed());
  }

  @Test
  void halfCloseWithoutRequestIsInternal() {
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    stream.clientHalfCloses();
    f.clock.runPendingTasks();

    assertEquals(
        Status.INTERNAL.withDescription("Half-closed without a request"), stream.closeStatus);
    assertEquals(List.of("cancel"), f.unary.listener(0).events);
  }

  @Test
  void bidiTakesManyRequestsAndEmptyHalfClose() {
    f.chat.initialRequest = 3;
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);
    stream.clientHalfCloses();
    f.clock.runPendingTasks();
    assertEquals(List.of("halfClose"), f.chat.listener(0).events);
    assertNull(stream.closeStatus);
  }

  @Test
  void handlerExceptionIsUnknownAndNextCallIsServed() {
    f.unary.onStart =
        started -> {
          if (f.unary.calls.size() == 1) {
            throw new IllegalStateException("secret detail");
          }
        };
    FakeServerStream failed = f.startCall(ServerFixture.UNARY);
    assertEquals(Status.Code.UNKNOWN, failed.closeStatus.getCode());
    assertFalse(failed.closeStatus.getDescription().contains("secret"));
    assertTrue(failed.closeTrailers.isEmpty());

    FakeServerStream next = f.startCall(ServerFixture.UNARY);
    next.clientSends("hi");
    next.clientHalfCloses();
    f.clock.runPendingTasks();
    f.unary.call(1).sendMessage("ok");
    f.unary.call(1).close(Status.OK, new Metadata());
    assertEquals(Status.OK, next.closeStatus);
    assertEquals(List.of("proto:ok"), next.messagesWritten);
  }

  @Test
  void listenerExceptionIsUnknownAndListenerIsCancelled() {
    f.chat.initialRequest = 2;
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);
    RecordingListener listener = f.chat.listener(0);
    listener.onMessage =
        m -> {
          throw new IllegalArgumentException("boom");
        };
    stream.clientSends("a");
    stream.clientSends("b");
    f.clock.runPendingTasks();

    assertEquals(Status.Code.UNKNOWN, stream.closeStatus.getCode());
    assertEquals(List.of("message:proto:a", "cancel"), listener.events);
    assertTrue(stream.messagesSent.get(1).closed);
  }

  @Test
  void undecodableRequestIsInternalAndResetsStream() {
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    FakeServerStream.TrackedInput poison = stream.clientSends(StringMarshaller.POISON);
    f.clock.runPendingTasks();

    assertEquals(Status.Code.INTERNAL, stream.closeStatus.getCode());
    assertEquals(Status.Code.INTERNAL, stream.cancelStatus.getCode());
    assertTrue(poison.closed);
    assertEquals(List.of("cancel"), f.unary.listener(0).events);
  }

  @Test
  void closeIsExactlyOnce() {
    f.startCall(ServerFixture.CHAT);
    ServerCall<String, String> call = f.chat.call(0);
    call.close(Status.OK, new Metadata());
    assertThrows(IllegalStateException.class, () -> call.close(Status.OK, new Metadata()));
    assertThrows(IllegalStateException.class, () -> call.sendMessage("late"));
    assertThrows(IllegalStateException.class, () -> call.sendHeaders(new Metadata()));
  }

  @Test
  void errorStatusAndTrailersReachTheStream() {
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    Metadata trailers = new Metadata().put("x-why", "because");
    f.unary.call(0).close(Status.NOT_FOUND.withDescription("no such thing"), trailers);
    f.clock.runPendingTasks();

    assertEquals(Status.NOT_FOUND.withDescription("no such thing"), stream.closeStatus);
    assertSame(trailers, stream.closeTrailers);
    assertNull(stream.cancelStatus);
    assertEquals(List.of("complete"), f.unary.listener(0).events);
  }

  @Test
  void secondResponseOnUnaryIsInternal() {
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    ServerCall<String, String> call = f.unary.call(0);
    call.sendMessage("one");
    call.sendMessage("two");
    assertEquals(Status.INTERNAL.withDescription("Too many responses"), stream.closeStatus);
    assertEquals(List.of("proto:one"), stream.messagesWritten);
  }

  @Test
  void okWithoutResponseOnUnaryIsInternal() {
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    f.unary.call(0).close(Status.OK, new Metadata());
    assertEquals(
        Status.INTERNAL.withDescription("Completed without a response"), stream.closeStatus);
  }

  @Test
  void streamingResponsesAreFlushedEach() {
    FakeServerStream stream = f.startCall(ServerFixture.WATCH);
    ServerCall<String, String> call = f.watch.call(0);
    call.sendHeaders(new Metadata().put("x-h", "1"));
    call.sendMessage("a");
    call.sendMessage("b");
    assertEquals(1, stream.headersWritten.size());
    assertEquals("1", stream.headersWritten.get(0).get("x-h"));
    assertEquals(List.of("proto:a", "proto:b"), stream.messagesWritten);
    assertEquals(3, stream.flushes, "the headers, then each message");
    assertThrows(IllegalStateException.class, () -> call.sendHeaders(new Metadata()));
  }

  @Test
  void singleResponseGoesOutWithItsTrailers() {
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    ServerCall<String, String> call = f.unary.call(0);
    call.sendHeaders(new Metadata());
    call.sendMessage("a");
    assertEquals(0, stream.flushes, "headers and message wait for the trailers");
    call.close(Status.OK, new Metadata());
    assertEquals(Status.OK, stream.closeStatus);
  }

  @Test
  void compressionChecksNameAndTiming() {
    FakeServerStream stream = f.startCall(ServerFixture.WATCH);
    ServerCall<String, String> call = f.watch.call(0);
    assertThrows(IllegalArgumentException.class, () -> call.setCompression("snappy"));
    call.setCompression("gzip");
    assertEquals("gzip", stream.compression);
    call.setMessageCompression(false);
    assertEquals(Boolean.FALSE, stream.messageCompression);
    call.sendHeaders(new Metadata());
    assertThrows(IllegalStateException.class, () -> call.setCompression("identity"));
  }

  @Test
  void clientCancelDeliversOnCancelAndDropsQueuedMessages() {
    f.chat.initialRequest = 5;
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);
    FakeServerStream.TrackedInput queued = stream.clientSends("a");
    stream.clientCancels();
    assertTrue(f.chat.call(0).isCancelled(), "visible before the executor runs");
    f.clock.runPendingTasks();

    assertEquals(List.of("cancel"), f.chat.listener(0).events);
    assertTrue(queued.closed);
  }

  @Test
  void oversizedMessageReportedByTransportCancelsCall() {
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);
    stream.end(Status.RESOURCE_EXHAUSTED.withDescription("message too large"));
    f.clock.runPendingTasks();
    assertEquals(List.of("cancel"), f.chat.listener(0).events);
    assertTrue(f.chat.call(0).isCancelled());
  }

  @Test
  void deadlineResetsStreamWhenItPasses() {
    FakeServerStream stream = new FakeServerStream();
    stream.deadline = Deadline.after(1, TimeUnit.SECONDS, f.clock.ticker());
    f.connection.newStream(ServerFixture.UNARY.getFullMethodName(), stream, new Metadata());
    f.clock.runPendingTasks();
    assertSame(stream.deadline, f.unary.call(0).getDeadline());

    f.clock.forwardTime(999, TimeUnit.MILLISECONDS);
    assertNull(stream.cancelStatus);
    f.clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, stream.cancelStatus.getCode());
    assertTrue(f.unary.call(0).isCancelled());

    f.clock.runPendingTasks();
    assertEquals(List.of("cancel"), f.unary.listener(0).events);
  }

  @Test
  void deadlineTimerStopsWhenCallEnds() {
    FakeServerStream stream = new FakeServerStream();
    stream.deadline = Deadline.after(1, TimeUnit.SECONDS, f.clock.ticker());
    f.connection.newStream(ServerFixture.CHAT.getFullMethodName(), stream, new Metadata());
    f.clock.runPendingTasks();
    assertEquals(1, f.clock.numScheduledTasks());

    f.chat.call(0).close(Status.OK, new Metadata());
    assertEquals(0, f.clock.numScheduledTasks());
    f.clock.forwardTime(2, TimeUnit.SECONDS);
    assertNull(stream.cancelStatus);
  }

  @Test
  void deadlineRunsOnTheStreamsSchedulerWhenItHasOne() {
    FakeClock transportClock = new FakeClock();
    FakeServerStream stream = new FakeServerStream();
    stream.scheduler = transportClock.scheduledExecutor();
    stream.deadline = Deadline.after(1, TimeUnit.SECONDS, f.clock.ticker());
    f.connection.newStream(ServerFixture.CHAT.getFullMethodName(), stream, new Metadata());
    f.clock.runPendingTasks();
    assertEquals(0, f.clock.numScheduledTasks(), "nothing on the server's shared timer");
    assertEquals(1, transportClock.numScheduledTasks());

    f.clock.forwardTime(1, TimeUnit.SECONDS);
    transportClock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, stream.cancelStatus.getCode());
  }

  @Test
  void deadlineOnTheStreamsSchedulerStopsWhenCallEnds() {
    FakeClock transportClock = new FakeClock();
    FakeServerStream stream = new FakeServerStream();
    stream.scheduler = transportClock.scheduledExecutor();
    stream.deadline = Deadline.after(1, TimeUnit.SECONDS, f.clock.ticker());
    f.connection.newStream(ServerFixture.CHAT.getFullMethodName(), stream, new Metadata());
    f.clock.runPendingTasks();

    f.chat.call(0).close(Status.OK, new Metadata());
    assertEquals(0, transportClock.numScheduledTasks());
    transportClock.forwardTime(2, TimeUnit.SECONDS);
    assertNull(stream.cancelStatus);
  }

  @Test
  void expiredDeadlineNeverReachesHandler() {
    FakeServerStream stream = new FakeServerStream();
    stream.deadline = Deadline.after(-1, TimeUnit.SECONDS, f.clock.ticker());
    f.connection.newStream(ServerFixture.UNARY.getFullMethodName(), stream, new Metadata());
    f.clock.runDueTasks();
    f.clock.runPendingTasks();

    assertEquals(Status.Code.DEADLINE_EXCEEDED, stream.cancelStatus.getCode());
    assertTrue(f.unary.calls.isEmpty());
  }
}
