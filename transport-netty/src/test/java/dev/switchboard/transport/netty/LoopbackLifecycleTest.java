package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ServerConnection;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import dev.switchboard.transport.netty.TestClient.RecordingStreamListener.Closed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connection lifecycle: stream limits, graceful and forced shutdown, lost and refused connections.
 */
class LoopbackLifecycleTest extends AbstractLoopbackTest {
  @Test
  void streamsBeyondMaxConcurrentAreBufferedNotFailed() throws Exception {
    Connection c = connect();
    int total = 150; // the test server allows 100 concurrent streams
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      Call call = c.call("test/Echo");
      call.stream().request(1);
      call.stream().writeMessage(bytes("m" + i));
      calls.add(call);
    }
    for (int i = 0; i < 100; i++) {
      server.nextCall();
    }
    for (Call call : calls) {
      call.stream().halfClose();
    }
    for (int i = 0; i < total; i++) {
      assertArrayEquals(bytes("m" + i), calls.get(i).listener().nextMessage());
      assertCode(Status.OK, calls.get(i).awaitClosed().status());
    }
  }

  @Test
  void gracefulServerConnectionShutdownFinishesInFlightAndRefusesNew() throws Exception {
    Connection c = connect();
    Call inflight = c.call("test/Hold");
    inflight.stream().request(1);
    TestServer.Call sc = server.nextCall();
    ServerConnection conn = server.nextConnection();
    conn.shutdown();

    assertCode(Status.UNAVAILABLE, c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    Call late = c.call("test/Echo");
    assertCode(Status.UNAVAILABLE, late.awaitClosed().status());

    sc.stream.writeHeaders(new Metadata());
    sc.stream.writeMessage(bytes("still here"), ByteArrayMarshaller.INSTANCE);
    sc.stream.close(Status.OK, new Metadata());
    assertArrayEquals(bytes("still here"), inflight.listener().nextMessage());
    assertCode(Status.OK, inflight.awaitClosed().status());
    assertCode(Status.OK, sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));

    c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertTrue(server.connectionTerminated.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(List.of("ready", "shutdown", "terminated"), c.listener().events);
  }

  @Test
  void clientShutdownLetsOpenStreamsFinish() throws Exception {
    Connection c = connect();
    Call inflight = c.call("test/Echo");
    inflight.stream().request(1);
    inflight.stream().writeMessage(bytes("one"));
    TestServer.Call sc = server.nextCall();
    sc.messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    c.transport().shutdown(Status.UNAVAILABLE.withDescription("client going away"));
    Status shutdown = c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals("client going away", shutdown.getDescription());
    assertCode(Status.UNAVAILABLE, c.call("test/Echo").awaitClosed().status());

    inflight.stream().halfClose();
    assertArrayEquals(bytes("one"), inflight.listener().nextMessage());
    assertCode(Status.OK, inflight.awaitClosed().status());
    c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void shutdownNowClosesStreamsAndReleasesQueuedMessages() throws Exception {
    Connection c = connect();
    Call held = c.call("test/Hold");
    TestServer.Call sc = server.nextCall();
    for (int i = 0; i < 40; i++) {
      held.stream().writeMessage(new byte[64 * 1024]);
    }
    c.transport().shutdownNow(Status.UNAVAILABLE.withDescription("now"));
    Closed closed = held.awaitClosed();
    assertCode(Status.UNAVAILABLE, closed.status());
    assertEquals("now", closed.status().getDescription());
    c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertCode(Status.UNAVAILABLE, sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    // Writes after the end are dropped quietly.
    held.stream().writeMessage(new byte[10]);
  }

  @Test
  void serverStoppedClientSeesShutdownThenTerminated() throws Exception {
    Connection c = connect();
    Call call = c.call("test/Hold");
    TestServer.Call sc = server.nextCall();
    server.transport.shutdown();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    server.nextConnection().shutdownNow(Status.UNAVAILABLE.withDescription("server stopping"));

    assertCode(Status.UNAVAILABLE, c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of("ready", "shutdown", "terminated"), c.listener().events);
    Status callStatus = call.awaitClosed().status();
    assertTrue(
        callStatus.getCode() == Status.CANCELLED.getCode()
            || callStatus.getCode() == Status.UNAVAILABLE.getCode(),
        callStatus.toString());
    assertEquals(
        "server stopping", sc.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getDescription());

    // Nothing listens any more.
    Connection refused = TestClient.connectNoWait(factory, server.address(), Duration.ofSeconds(5));
    connections.add(refused);
    assertCode(
        Status.UNAVAILABLE, refused.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void connectToClosedPortIsUnavailable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Connection c =
        TestClient.connectNoWait(
            factory, new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(5));
    connections.add(c);
    Status status = c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertCode(Status.UNAVAILABLE, status);
    assertTrue(status.getDescription().contains(String.valueOf(port)), status.toString());
    c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertFalse(c.listener().ready.isDone());
    assertEquals(List.of("shutdown", "terminated"), c.listener().events);
  }

  @Test
  void factoryCloseKeepsExistingTransportsWorking() throws Exception {
    Connection c = connect();
    factory.close();
    Call call = c.call("test/Echo").unary(bytes("still"), 1);
    assertArrayEquals(bytes("still"), call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
  }
}
