package dev.switchboard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.stub.ClientCalls;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.health.v1.HealthCheckResponse.ServingStatus;
import dev.switchboard.server.Servers;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Health checking against the reference, grpc-java 1.79.0 in its own JVM: its health client against
 * our {@link HealthStatusManager}, and our client-side health checks against its {@code
 * HealthStatusManager}.
 */
class HealthAgainstGrpcJavaIT {
  @Test
  void grpcJavaHealthClientAgainstOurServer() throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("a.Service", ServingStatus.SERVING);
    Server server =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .addService(health.getHealthService().bindService())
                    .build())
            .start();
    health.watchShutdown(server);
    try (PeerJvm client = new PeerJvm("client", String.valueOf(server.port()), "a.Service")) {
      assertEquals("check '' SERVING", client.expect("check ''"));
      assertEquals("check a.Service SERVING", client.expect("check a.Service"));
      assertEquals("check no.such.Service error NOT_FOUND", client.expect("check no.such.Service"));
      assertEquals("watch SERVING", client.expect("watch"));
      health.setStatus("a.Service", ServingStatus.NOT_SERVING);
      assertEquals("watch NOT_SERVING", client.expect("watch"));
      health.clearStatus("a.Service");
      assertEquals("watch SERVICE_UNKNOWN", client.expect("watch"));
      health.setStatus("a.Service", ServingStatus.SERVING);
      assertEquals("watch SERVING", client.expect("watch"));
      server.shutdown();
      assertEquals("watch NOT_SERVING", client.expect("watch"));
      assertEquals("watch ended UNAVAILABLE", client.expect("watch"));
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
      client.send("end");
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void ourHealthChecksAgainstGrpcJavaServer() throws Exception {
    Backend ours = Backend.healthy("ours");
    ClientConn conn = null;
    try (PeerJvm theirs = new PeerJvm("server", "theirs")) {
      int port = Integer.parseInt(theirs.expect("port ").substring(5).trim());
      theirs.send("set " + Backend.SERVICE + " SERVING");
      theirs.expect("ok");
      conn =
          ClientConns.newClient(
              List.of(new InetSocketAddress("127.0.0.1", port), ours.address()),
              DialOptions.newBuilder()
                  .insecure()
                  .defaultServiceConfig(
                      "{\"loadBalancingConfig\":[{\"round_robin\":{}}],"
                          + "\"healthCheckConfig\":{\"serviceName\":\""
                          + Backend.SERVICE
                          + "\"}}")
                  .build());
      callUntilSeen(conn, Set.of("ours", "theirs"));

      theirs.send("set " + Backend.SERVICE + " NOT_SERVING");
      theirs.expect("ok");
      int streak = 0;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (streak < 30 && System.nanoTime() < until) {
        streak = call(conn).equals("ours") ? streak + 1 : 0;
      }
      assertEquals(30, streak, "traffic left grpc-java's backend");

      theirs.send("set " + Backend.SERVICE + " SERVING");
      theirs.expect("ok");
      callUntilSeen(conn, Set.of("theirs"));
    } finally {
      if (conn != null) {
        conn.close();
      }
      ours.server.shutdownNow();
    }
  }

  private static String call(ClientConn conn) {
    return ClientCalls.blockingUnaryCall(
            conn, Backend.GET, CallOptions.DEFAULT.withWaitForReady(), StringValue.of("who"))
        .getValue();
  }

  private static void callUntilSeen(ClientConn conn, Set<String> names) {
    Set<String> seen = new TreeSet<>();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!seen.containsAll(names) && System.nanoTime() < until) {
      seen.add(call(conn));
    }
    assertTrue(seen.containsAll(names), "answered: " + seen + ", expected " + names);
  }
}
