package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Servers that are down, come up, or shut down gracefully. */
class AvailabilityEndToEndTest {
  private static final BackoffConfig FAST =
      new BackoffConfig(
          Duration.ofMillis(50), 1.6, 0.2, Duration.ofMillis(500), Duration.ofSeconds(20));

  @Test
  void serverDownFailsFastWithUnavailable() throws Exception {
    int port = Loopback.freePort();
    try (ClientConn conn =
        ClientConns.newClient("127.0.0.1:" + port, Loopback.insecure().build())) {
      RecordingListener<StringValue> l =
          Loopback.call(conn, EchoService.UNARY, CallOptions.DEFAULT, new Metadata(), str("x"));
      Status s = l.awaitClose();
      assertEquals(Status.Code.UNAVAILABLE, s.getCode());
    }
  }

  @Test
  void waitForReadyCallCompletesOnceServerComesUp() throws Exception {
    int port = Loopback.freePort();
    EchoService service = new EchoService("late");
    try (ClientConn conn =
        ClientConns.newClient("127.0.0.1:" + port, Loopback.insecure().backoff(FAST).build())) {
      RecordingListener<StringValue> l =
          Loopback.call(
              conn,
              EchoService.UNARY,
              CallOptions.DEFAULT.withWaitForReady(),
              new Metadata(),
              str("patient"));
      // Wait until the channel has failed at least once, so the call is really waiting.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (conn.getState(false) != ConnectivityState.TRANSIENT_FAILURE
          && System.nanoTime() < until) {
        conn.waitForStateChange(conn.getState(false), 1, TimeUnit.SECONDS);
      }
      assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.getState(false));
      assertFalse(l.status.isDone(), "wait-for-ready call must still be pending");
      Server server =
          Servers.newServer(
                  ServerOptions.newBuilder()
                      .insecure()
                      .listen("127.0.0.1", port)
                      .addService(service.definition())
                      .build())
              .start();
      try {
        assertEquals(Status.Code.OK, l.awaitClose().getCode());
        assertEquals("patient", l.messages.get(0).getValue());
      } finally {
        server.shutdownNow();
      }
    }
  }

  @Test
  void gracefulShutdownFinishesInFlightCalls() throws Exception {
    EchoService service = new EchoService("draining");
    Server server = Loopback.start(service);
    try (ClientConn conn =
        ClientConns.newClient(Loopback.target(server), Loopback.insecure().build())) {
      RecordingListener<StringValue> inFlight =
          Loopback.call(conn, EchoService.HANG, CallOptions.DEFAULT, new Metadata(), str("x"));
      assertEquals("started", service.events.poll(10, TimeUnit.SECONDS));
      server.shutdown();
      assertTrue(server.isShutdown());
      assertFalse(server.awaitTermination(200, TimeUnit.MILLISECONDS), "must wait for the call");
      // A new channel cannot start calls any more.
      try (ClientConn late =
          ClientConns.newClient(Loopback.target(server), Loopback.insecure().build())) {
        Status s =
            Loopback.call(late, EchoService.UNARY, CallOptions.DEFAULT, new Metadata(), str("y"))
                .awaitClose();
        assertEquals(Status.Code.UNAVAILABLE, s.getCode());
      }
      service.release.countDown();
      assertEquals(Status.Code.OK, inFlight.awaitClose().getCode());
      assertEquals("released", inFlight.messages.get(0).getValue());
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void closingTheChannelCancelsInFlightCallsWithAClosingMessage() throws Exception {
    EchoService service = new EchoService("closing");
    Server server = Loopback.start(service);
    try {
      ClientConn conn = ClientConns.newClient(Loopback.target(server), Loopback.insecure().build());
      RecordingListener<StringValue> l =
          Loopback.call(conn, EchoService.HANG, CallOptions.DEFAULT, new Metadata(), str("x"));
      assertEquals("started", service.events.poll(10, TimeUnit.SECONDS));
      conn.close();
      Status s = l.awaitClose();
      assertEquals(Status.Code.CANCELLED, s.getCode());
      assertTrue(
          s.getDescription() != null && s.getDescription().toLowerCase().contains("clos"),
          "message says the channel is closing: " + s);
      Status after =
          Loopback.call(conn, EchoService.UNARY, CallOptions.DEFAULT, new Metadata(), str("y"))
              .awaitClose();
      assertEquals(Status.Code.CANCELLED, after.getCode());
      assertEquals(ConnectivityState.SHUTDOWN, conn.getState(false));
      assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
    } finally {
      service.release.countDown();
      server.shutdownNow();
    }
  }
}
