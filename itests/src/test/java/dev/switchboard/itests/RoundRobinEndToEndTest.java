package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.clientconn.ClientConns;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** round_robin over three real servers: even spread, and routing around a stopped one. */
class RoundRobinEndToEndTest {
  private static final String ROUND_ROBIN = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";
  private final List<Server> servers = new ArrayList<>();
  private ClientConn conn;

  @AfterEach
  void tearDown() {
    if (conn != null) {
      conn.close();
    }
    servers.forEach(Server::shutdownNow);
  }

  private String callId() throws Exception {
    return Loopback.unary(conn, EchoService.UNARY, str("id"), CallOptions.DEFAULT).getValue();
  }

  @Test
  void spreadsEvenlyAndRoutesAroundAStoppedServer() throws Exception {
    List<SocketAddress> addresses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Server s = Loopback.start(new EchoService("backend-" + i));
      servers.add(s);
      addresses.add(new InetSocketAddress("127.0.0.1", s.port()));
    }
    conn =
        ClientConns.newClient(
            addresses, Loopback.insecure().defaultServiceConfig(ROUND_ROBIN).build());

    // Warm up until every backend has answered (all SubConns READY), bounded.
    java.util.Set<String> seen = new java.util.HashSet<>();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (seen.size() < 3 && System.nanoTime() < until) {
      seen.add(callId());
    }
    assertEquals(3, seen.size(), "all backends reachable");

    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(callId(), 1, Integer::sum);
    }
    assertEquals(Map.of("backend-0", 100, "backend-1", 100, "backend-2", 100), counts);

    Server stopped = servers.get(1);
    stopped.shutdown();
    assertTrue(stopped.awaitTermination(10, TimeUnit.SECONDS));
    // Let the client notice the GOAWAY/close: calls until 10 consecutive ones succeed
    // without reaching the stopped backend (bounded).
    int streak = 0;
    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (streak < 10 && System.nanoTime() < until) {
      try {
        streak = callId().equals("backend-1") ? 0 : streak + 1;
      } catch (dev.switchboard.api.StatusRuntimeException e) {
        streak = 0;
      }
    }
    assertEquals(10, streak, "routing settled around the stopped backend");

    counts.clear();
    for (int i = 0; i < 60; i++) {
      counts.merge(callId(), 1, Integer::sum); // throws on any failure
    }
    assertEquals(Map.of("backend-0", 30, "backend-2", 30), counts);
  }
}
