package dev.switchboard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.health.v1.HealthCheckRequest;
import dev.switchboard.health.v1.HealthCheckResponse.ServingStatus;
import dev.switchboard.health.v1.HealthSwitchboard;
import dev.switchboard.server.Servers;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code grpc.health.v1.Health} service over a real loopback server. */
class HealthStatusManagerTest {
  private HealthStatusManager health;
  private Server server;
  private ClientConn conn;

  private void start(HealthStatusManager manager) throws Exception {
    health = manager;
    server =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .addService(health.getHealthService().bindService())
                    .build())
            .start();
    conn =
        ClientConns.newClient(
            "127.0.0.1:" + server.port(), DialOptions.newBuilder().insecure().build());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (conn != null) {
      conn.close();
    }
    if (server != null) {
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private ServingStatus check(String service) {
    return HealthSwitchboard.newBlockingStub(conn)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  private Watching watch(String service) {
    Watching w = new Watching();
    HealthSwitchboard.newStub(conn)
        .watch(HealthCheckRequest.newBuilder().setService(service).build(), w);
    return w;
  }

  @Test
  void checkAnswersTheStatusSetAndNotFoundForUnknownServices() throws Exception {
    start(new HealthStatusManager());
    assertEquals(ServingStatus.SERVING, check(""), "overall status SERVING from the start");
    health.setStatus("a.Service", ServingStatus.NOT_SERVING);
    assertEquals(ServingStatus.NOT_SERVING, check("a.Service"));
    health.setStatus("a.Service", ServingStatus.SERVING);
    assertEquals(ServingStatus.SERVING, check("a.Service"));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> check("b.Other"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    health.clearStatus("a.Service");
    e = assertThrows(StatusRuntimeException.class, () -> check("a.Service"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void watchSendsTheStatusAtOnceThenEveryChange() throws Exception {
    start(new HealthStatusManager());
    health.setStatus("a.Service", ServingStatus.SERVING);
    Watching w = watch("a.Service");
    assertEquals(ServingStatus.SERVING, w.next());
    health.setStatus("a.Service", ServingStatus.NOT_SERVING);
    assertEquals(ServingStatus.NOT_SERVING, w.next());
    health.setStatus("a.Service", ServingStatus.NOT_SERVING); // no change, nothing sent
    health.setStatus("a.Service", ServingStatus.SERVING);
    assertEquals(ServingStatus.SERVING, w.next());
    health.clearStatus("a.Service");
    assertEquals(ServingStatus.SERVICE_UNKNOWN, w.next());
    assertTrue(w.statuses.isEmpty());
    assertTrue(!w.closed.isDone(), "the watch stays open");
  }

  @Test
  void watchOfAnUnknownServiceSaysServiceUnknownAndStaysOpenUntilItIsKnown() throws Exception {
    start(new HealthStatusManager());
    Watching w = watch("later.Service");
    assertEquals(ServingStatus.SERVICE_UNKNOWN, w.next());
    health.setStatus("later.Service", ServingStatus.SERVING);
    assertEquals(ServingStatus.SERVING, w.next());
  }

  @Test
  void terminalStateSetsEverythingNotServingAndIgnoresUpdates() throws Exception {
    start(new HealthStatusManager());
    health.setStatus("a.Service", ServingStatus.SERVING);
    Watching all = watch("");
    Watching a = watch("a.Service");
    assertEquals(ServingStatus.SERVING, all.next());
    assertEquals(ServingStatus.SERVING, a.next());
    health.enterTerminalState();
    assertEquals(ServingStatus.NOT_SERVING, all.next());
    assertEquals(ServingStatus.NOT_SERVING, a.next());
    health.setStatus("a.Service", ServingStatus.SERVING);
    health.clearStatus("a.Service");
    assertEquals(ServingStatus.NOT_SERVING, check("a.Service"));
    assertEquals(ServingStatus.NOT_SERVING, check(""));
  }

  @Test
  void serverShutdownTellsWatchersNotServingThenEndsTheirCalls() throws Exception {
    start(new HealthStatusManager());
    health.watchShutdown(server);
    Watching w = watch("");
    assertEquals(ServingStatus.SERVING, w.next());
    server.shutdown();
    assertEquals(ServingStatus.NOT_SERVING, w.next());
    assertEquals(Status.Code.UNAVAILABLE, w.awaitClose().getCode());
    // The watch no longer holds up the graceful shutdown.
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void watchersBeyondTheBoundAreRefused() throws Exception {
    start(new HealthStatusManager(2));
    Watching first = watch("");
    Watching second = watch("x");
    assertEquals(ServingStatus.SERVING, first.next());
    assertEquals(ServingStatus.SERVICE_UNKNOWN, second.next());
    Watching third = watch("y");
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, third.awaitClose().getCode());
    assertTrue(third.statuses.isEmpty());
  }

  @Test
  void aCancelledWatchFreesItsPlace() throws Exception {
    start(new HealthStatusManager(1));
    Watching first = watch("");
    assertEquals(ServingStatus.SERVING, first.next());
    conn.close(); // cancels the watch
    conn =
        ClientConns.newClient(
            "127.0.0.1:" + server.port(), DialOptions.newBuilder().insecure().build());
    // The server sees the cancellation asynchronously: retry until a watch is accepted (bounded).
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Watching again = watch("");
      ServingStatus s = again.statuses.poll(10, TimeUnit.SECONDS);
      if (s != null) {
        assertEquals(ServingStatus.SERVING, s);
        return;
      }
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, again.awaitClose().getCode());
      assertTrue(System.nanoTime() < until, "the cancelled watch was never released");
    }
  }

  @Test
  void setStatusRefusesWatchOnlyStatuses() {
    HealthStatusManager m = new HealthStatusManager();
    assertThrows(
        IllegalArgumentException.class, () -> m.setStatus("s", ServingStatus.SERVICE_UNKNOWN));
    assertThrows(IllegalArgumentException.class, () -> new HealthStatusManager(0));
  }
}
