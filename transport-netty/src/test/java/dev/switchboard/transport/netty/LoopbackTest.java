package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.FlowControl;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import dev.switchboard.transport.netty.TestClient.RecordingStreamListener.Closed;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Calls, metadata, limits, flow control and compression: client transport against server transport
 * over 127.0.0.1.
 */
class LoopbackTest extends AbstractLoopbackTest {
  @Test
  void unaryEchoCarriesMetadataMessagesAndTrailers() throws Exception {
    Connection c = connect();
    Metadata md = new Metadata().put("x-req", "hello").putBinary("x-bin", new byte[] {1, 2, 3});
    Call call = c.call("test/Echo", CallOptions.DEFAULT, md).unary(bytes("ping"), 2);

    assertEquals(
        "hello", call.listener().headers.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get("x-echo"));
    assertArrayEquals(bytes("ping"), call.listener().nextMessage());
    Closed closed = call.awaitClosed();
    assertCode(Status.OK, closed.status());
    assertEquals("done", closed.trailers().get("x-trailer"));
    assertTrue(call.listener().exactAvailable, "available() must be the exact message size");
    for (String thread : call.listener().threads) {
      assertTrue(thread.startsWith("switchboard-netty"), "listener called on " + thread);
    }

    TestServer.Call sc = server.nextCall();
    assertEquals("test/Echo", sc.method);
    assertEquals("hello", sc.headers.get("x-req"));
    assertArrayEquals(new byte[] {1, 2, 3}, sc.headers.getBinary("x-bin"));
    assertEquals("switchboard-test/0.1", sc.headers.get("user-agent"));
    assertFalse(sc.headers.containsKey("grpc-accept-encoding"));
    assertFalse(sc.headers.containsKey("te"));
    assertEquals("localhost:1234", sc.stream.authority());
    assertEquals("", sc.stream.contentSubtype());
    assertNull(sc.stream.messageEncoding());
    assertNull(sc.stream.deadline());
    assertCode(Status.OK, sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertTrue(sc.callbackThread.startsWith("switchboard-netty"));
    assertNotNull(sc.stream.attributes().get(TransportAttributes.REMOTE_ADDRESS));
    assertEquals(
        server.address(), c.transport().attributes().get(TransportAttributes.REMOTE_ADDRESS));
    assertEquals(true, c.listener().inUse.get(0));
  }

  @Test
  void authorityOverrideAndCodecSubtypeReachTheServer() throws Exception {
    Connection c = connect();
    var method = TestClient.method("test/Hold").toBuilder().setCodecName("json").build();
    var stream =
        c.transport()
            .newStream(
                method,
                new Metadata(),
                CallOptions.DEFAULT.withAuthority("other.example:99"),
                ByteArrayMarshaller.INSTANCE);
    TestClient.RecordingStreamListener l = new TestClient.RecordingStreamListener();
    stream.start(l);
    TestServer.Call sc = server.nextCall();
    assertEquals("other.example:99", sc.stream.authority());
    assertEquals("json", sc.stream.contentSubtype());
    stream.cancel(Status.CANCELLED);
    assertCode(Status.CANCELLED, l.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status());
  }

  @Test
  void serverStreamingDeliversManyMessagesInOrder() throws Exception {
    Connection c = connect();
    int count = 2000;
    Call call = c.call("test/Stream");
    call.stream().request(count);
    call.stream().writeMessage(ByteBuffer.allocate(8).putInt(count).putInt(100).array());
    call.stream().halfClose();
    for (int i = 0; i < count; i++) {
      byte[] m = call.listener().nextMessage();
      assertEquals(100 + (i % 3), m.length);
      assertEquals((byte) i, m[0]);
    }
    assertCode(Status.OK, call.awaitClosed().status());
    call.listener().assertNoMoreMessages();
  }

  @Test
  void largeServerStreamFlowsThroughTheWindow() throws Exception {
    Connection c = connect();
    int count = 200;
    int size = 64 * 1024; // 12.5 MiB in total, many stream windows' worth
    Call call = c.call("test/Stream");
    call.stream().writeMessage(ByteBuffer.allocate(8).putInt(count).putInt(size).array());
    call.stream().halfClose();
    for (int i = 0; i < count; i++) {
      call.stream().request(1); // one at a time: a slow but steady reader
      byte[] m = call.listener().nextMessage();
      assertEquals(size + (i % 3), m.length);
    }
    assertCode(Status.OK, call.awaitClosed().status());
  }

  @Test
  void statusWaitsUntilRequestedMessagesAreDelivered() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Stream");
    call.stream().writeMessage(ByteBuffer.allocate(8).putInt(3).putInt(10).array());
    call.stream().halfClose();
    TestServer.Call sc = server.nextCall();
    assertCode(Status.OK, sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    // Everything was sent, but nothing was requested: no message and no close yet.
    call.stream().request(2);
    call.listener().nextMessage();
    call.listener().nextMessage();
    assertFalse(call.listener().closed.isDone(), "closed before the last message");
    call.stream().request(1);
    call.listener().nextMessage();
    assertCode(Status.OK, call.awaitClosed().status());
  }

  @Test
  void clientCancelReachesServerAsCancelled() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Hold");
    TestServer.Call sc = server.nextCall();
    call.stream().cancel(Status.CANCELLED.withDescription("user gave up"));
    Closed closed = call.awaitClosed();
    assertCode(Status.CANCELLED, closed.status());
    assertEquals("user gave up", closed.status().getDescription());
    assertCode(Status.CANCELLED, sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void cancelWithQueuedMessagesReleasesThem() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Hold");
    TestServer.Call sc = server.nextCall();
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < 40; i++) { // more than the stream window: some stay queued
      call.stream().writeMessage(chunk);
    }
    call.stream().cancel(Status.CANCELLED.withDescription("enough"));
    assertCode(Status.CANCELLED, call.awaitClosed().status());
    assertCode(Status.CANCELLED, sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    // The connection is still fine for other calls.
    Call next = c.call("test/Echo").unary(bytes("after"), 1);
    assertArrayEquals(bytes("after"), next.listener().nextMessage());
    assertCode(Status.OK, next.awaitClosed().status());
  }

  @Test
  void serverCancelReachesClientAsCancelled() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Hold");
    TestServer.Call sc = server.nextCall();
    sc.stream.cancel(Status.DEADLINE_EXCEEDED.withDescription("server deadline"));
    assertCode(Status.DEADLINE_EXCEEDED, sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertCode(Status.CANCELLED, call.awaitClosed().status());
  }

  @Test
  void serverCloseThenCancelStillDeliversTheStatus() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Hold");
    call.stream().request(0); // allowed, and a no-op
    TestServer.Call sc = server.nextCall();
    sc.stream.close(Status.DEADLINE_EXCEEDED.withDescription("too slow"), new Metadata());
    sc.stream.cancel(Status.DEADLINE_EXCEEDED.withDescription("too slow"));
    Closed closed = call.awaitClosed();
    assertCode(Status.DEADLINE_EXCEEDED, closed.status());
    assertEquals("too slow", closed.status().getDescription());
    // OK when the trailers were written before the cancel ran, else the cancel's status.
    Status serverSide = sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertTrue(
        serverSide.isOk() || serverSide.getCode() == Status.DEADLINE_EXCEEDED.getCode(),
        serverSide.toString());
  }

  @Test
  void trailersOnlyErrorKeepsUnicodeMessageAndTrailers() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Fail");
    call.stream().request(1);
    Closed closed = call.awaitClosed();
    assertEquals(TestServer.FAIL_STATUS, closed.status());
    assertArrayEquals(TestServer.FAIL_DETAIL, closed.trailers().getBinary("x-detail-bin"));
    assertFalse(call.listener().headers.isDone(), "trailers-only: no headersRead");
    assertCode(Status.OK, server.nextCall().closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void deadlineArrivesAsDeadline() throws Exception {
    Connection c = connect();
    Call call =
        c.call(
            "test/Hold",
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            new Metadata());
    TestServer.Call sc = server.nextCall();
    assertNotNull(sc.stream.deadline());
    long remaining = sc.stream.deadline().timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(remaining > 8_000 && remaining <= 10_000, "remaining " + remaining);
    assertFalse(sc.headers.containsKey("grpc-timeout"));
    // The stream's timers go on its connection's event loop (no lock shared with other calls).
    ScheduledExecutorService scheduler = sc.stream.scheduler();
    assertTrue(scheduler instanceof io.netty.channel.EventLoop, String.valueOf(scheduler));
    assertSame(
        sc.createdOn,
        scheduler.submit(Thread::currentThread).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    call.stream().cancel(Status.CANCELLED);
    call.awaitClosed();
  }

  @Test
  void sixteenMebibyteMessageWithRaisedLimits() throws Exception {
    restartServer(32 * MIB);
    Connection c = connect();
    byte[] big = new byte[16 * MIB];
    new Random(7).nextBytes(big);
    Call call =
        c.call("test/Echo", CallOptions.DEFAULT.withMaxInboundMessageSize(32 * MIB), new Metadata())
            .unary(big, 1);
    byte[] echoed = call.listener().nextMessage();
    assertTrue(Arrays.equals(big, echoed), "16 MiB echo differs");
    assertCode(Status.OK, call.awaitClosed().status());
  }

  @Test
  void requestOverServerLimitIsResourceExhausted() throws Exception {
    restartServer(MIB);
    Connection c = connect();
    Call call = c.call("test/Echo").unary(new byte[2 * MIB], 1);
    Closed closed = call.awaitClosed();
    assertCode(Status.RESOURCE_EXHAUSTED, closed.status());
    assertEquals(
        "received message larger than max (" + 2 * MIB + " vs. " + MIB + ")",
        closed.status().getDescription());
    assertCode(
        Status.RESOURCE_EXHAUSTED, server.nextCall().closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    // The connection survives.
    Call next = c.call("test/Echo").unary(bytes("small"), 1);
    assertCode(Status.OK, next.awaitClosed().status());
  }

  @Test
  void responseOverClientLimitIsResourceExhausted() throws Exception {
    restartServer(4 * MIB);
    Connection c = connect();
    Call call =
        c.call("test/Echo", CallOptions.DEFAULT.withMaxInboundMessageSize(MIB), new Metadata())
            .unary(new byte[2 * MIB], 1);
    Closed closed = call.awaitClosed();
    assertCode(Status.RESOURCE_EXHAUSTED, closed.status());
    assertEquals(
        "received message larger than max (" + 2 * MIB + " vs. " + MIB + ")",
        closed.status().getDescription());
    call.listener().assertNoMoreMessages();
    assertCode(Status.CANCELLED, server.nextCall().closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void outboundLimitCancelsWithResourceExhausted() throws Exception {
    Connection c = connect();
    Call call =
        c.call("test/Echo", CallOptions.DEFAULT.withMaxOutboundMessageSize(1024), new Metadata());
    call.stream().writeMessage(new byte[2048]);
    Closed closed = call.awaitClosed();
    assertCode(Status.RESOURCE_EXHAUSTED, closed.status());
  }

  @Test
  void slowReaderBackPressuresSender() throws Exception {
    // Fixed windows: auto-tuning would raise the stream window as data arrives (to 16 MiB at most).
    restartServer(TestServer.options(FlowControl.fixed(1 << 20)));
    Connection c = connect();
    Call held = c.call("test/Hold");
    TestServer.Call sc = server.nextCall();
    assertTrue(
        held.listener().ready.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS),
        "a new stream is ready");
    assertTrue(held.stream().isReady());
    int messages = 128;
    byte[] chunk = new byte[16 * 1024]; // 2 MiB in all: twice the stream window
    for (int i = 0; i < messages; i++) {
      held.stream().writeMessage(chunk);
    }
    assertFalse(held.stream().isReady());

    // Barrier: another call on the same connection completes, so the held stream's writes have
    // reached the server as far as flow control let them. Still not ready, no onReady.
    Call other = c.call("test/Echo").unary(bytes("barrier"), 1);
    assertCode(Status.OK, other.awaitClosed().status());
    // (onReady may have fired while the first window's worth was draining; not after this.)
    held.listener().ready.drainPermits();
    assertFalse(held.stream().isReady(), "window must stop the sender while nobody reads");
    assertEquals(0, sc.messages.size());

    sc.stream.request(messages);
    for (int i = 0; i < messages; i++) {
      assertNotNull(sc.messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS), "message " + i);
    }
    assertTrue(
        held.listener().ready.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS),
        "onReady once the reader caught up");
    assertTrue(held.stream().isReady());

    held.stream().halfClose();
    sc.halfClosed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    sc.stream.close(Status.OK, new Metadata());
    assertCode(Status.OK, held.awaitClosed().status());
  }

  @Test
  void serverSideIsReadyTurnsFalseAndBack() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Hold");
    TestServer.Call sc = server.nextCall();
    assertTrue(sc.ready.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    sc.stream.writeHeaders(new Metadata());
    byte[] chunk = new byte[16 * 1024];
    for (int i = 0; i < 128; i++) {
      sc.stream.writeMessage(chunk, ByteArrayMarshaller.INSTANCE);
    }
    sc.stream.flush();
    assertFalse(sc.stream.isReady());
    call.stream().request(128);
    for (int i = 0; i < 128; i++) {
      call.listener().nextMessage();
    }
    assertTrue(sc.ready.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertTrue(sc.stream.isReady());
    sc.stream.close(Status.OK, new Metadata());
    assertCode(Status.OK, call.awaitClosed().status());
  }

  @Test
  void gzipBothWays() throws Exception {
    Connection c = connect();
    byte[] text = "compress me please ".repeat(5000).getBytes(StandardCharsets.UTF_8);
    Call call =
        c.call(
                "test/Echo",
                CallOptions.DEFAULT.withCompression("gzip"),
                new Metadata().put("x-compress", "gzip"))
            .unary(text, 1);
    assertArrayEquals(text, call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
    TestServer.Call sc = server.nextCall();
    assertEquals("gzip", sc.stream.messageEncoding());
    assertEquals(Boolean.TRUE, sc.compressedFlags.poll());
  }

  @Test
  void messageCompressionCanBeTurnedOff() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Echo", CallOptions.DEFAULT.withCompression("gzip"), new Metadata());
    call.stream().setMessageCompression(false);
    call.unary(bytes("plain"), 1);
    assertArrayEquals(bytes("plain"), call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
    assertEquals(Boolean.FALSE, server.nextCall().compressedFlags.poll());
  }

  @Test
  void unknownCompressorClosesStreamInternal() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Echo", CallOptions.DEFAULT.withCompression("snappy"), new Metadata());
    Closed closed = call.awaitClosed();
    assertCode(Status.INTERNAL, closed.status());
    assertTrue(closed.status().getDescription().contains("snappy"));
  }
}
