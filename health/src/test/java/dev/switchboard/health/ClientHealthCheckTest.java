package dev.switchboard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.stub.ClientCalls;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.health.v1.HealthCheckResponse.ServingStatus;
import dev.switchboard.testing.CapturedLog;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Client-side health checking (gRFC A17) end to end: round_robin over three real backends, with
 * {@code healthCheckConfig} in the service config.
 */
class ClientHealthCheckTest {
  private static final String CONFIG =
      "{\"loadBalancingConfig\":[{\"round_robin\":{}}],"
          + "\"healthCheckConfig\":{\"serviceName\":\""
          + Backend.SERVICE
          + "\"}}";

  private final List<Backend> backends = new ArrayList<>();
  private ClientConn conn;

  @AfterEach
  void tearDown() throws Exception {
    if (conn != null) {
      conn.close();
    }
    for (Backend b : backends) {
      b.server.shutdownNow();
      assertTrue(b.server.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private void dial(DialOptions.Builder options) {
    List<SocketAddress> addresses = new ArrayList<>();
    for (Backend b : backends) {
      addresses.add(b.address());
    }
    conn =
        ClientConns.newClient(addresses, options.insecure().defaultServiceConfig(CONFIG).build());
  }

  private String call() {
    return ClientCalls.blockingUnaryCall(
            conn, Backend.GET, CallOptions.DEFAULT.withWaitForReady(), StringValue.of("who"))
        .getValue();
  }

  /** Calls until {@code settled} holds for 30 consecutive answers (at most 20 s). */
  private void callUntil(Predicate<String> settled, String what) {
    int streak = 0;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (streak < 30 && System.nanoTime() < until) {
      streak = settled.test(call()) ? streak + 1 : 0;
    }
    assertEquals(30, streak, what);
  }

  /** Calls until every one of {@code names} has answered (at most 20 s). */
  private void callUntilSeen(Set<String> names) {
    Set<String> seen = new TreeSet<>();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!seen.containsAll(names) && System.nanoTime() < until) {
      seen.add(call());
    }
    assertTrue(seen.containsAll(names), "answered: " + seen + ", expected " + names);
  }

  private Map<String, Integer> count(int calls) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(call(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void trafficLeavesABackendThatStopsServingAndComesBack() throws Exception {
    for (int i = 0; i < 3; i++) {
      backends.add(Backend.healthy("b" + i));
    }
    dial(DialOptions.newBuilder());
    callUntilSeen(Set.of("b0", "b1", "b2"));

    // Calls keep running on another thread all along: none may fail.
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  call();
                } catch (Throwable t) {
                  failures.add(t);
                }
              }
            },
            "background-calls");
    caller.start();
    try {
      backends.get(1).health.setStatus(Backend.SERVICE, ServingStatus.NOT_SERVING);
      callUntil(name -> !name.equals("b1"), "traffic left b1");
      Map<String, Integer> counts = count(60);
      assertEquals(Set.of("b0", "b2"), counts.keySet(), "counts " + counts);

      backends.get(1).health.setStatus(Backend.SERVICE, ServingStatus.SERVING);
      callUntilSeen(Set.of("b1"));
      counts = count(90);
      assertEquals(Set.of("b0", "b1", "b2"), counts.keySet(), "counts " + counts);
      assertTrue(counts.get("b1") >= 20, "b1 has its share again: " + counts);
    } finally {
      stop.set(true);
      caller.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertFalse(caller.isAlive());
    assertEquals(List.of(), List.copyOf(failures), "no call failed");
  }

  @Test
  void aBackendWithoutHealthServiceCountsAsHealthy() throws Exception {
    backends.add(Backend.healthy("b0"));
    backends.add(Backend.withoutHealth("b1"));
    backends.add(Backend.healthy("b2"));
    try (CapturedLog log = new CapturedLog("dev.switchboard.clientconn.internal.HealthWatch")) {
      dial(DialOptions.newBuilder());
      callUntilSeen(Set.of("b0", "b1", "b2"));
      Map<String, Integer> counts = count(90);
      assertEquals(Map.of("b0", 30, "b1", 30, "b2", 30), counts);
      List<String> warnings = log.messages(System.Logger.Level.WARNING);
      assertEquals(1, warnings.size(), "one line for the backend without health: " + warnings);
      assertTrue(warnings.get(0).contains("UNIMPLEMENTED"), warnings.get(0));
    }
  }

  @Test
  void aBackendNotServingFromTheStartGetsNoTraffic() throws Exception {
    for (int i = 0; i < 3; i++) {
      backends.add(Backend.healthy("b" + i));
    }
    backends.get(2).health.setStatus(Backend.SERVICE, ServingStatus.NOT_SERVING);
    dial(DialOptions.newBuilder());
    callUntilSeen(Set.of("b0", "b1"));
    assertEquals(Set.of("b0", "b1"), count(60).keySet());
  }

  @Test
  void aBackendWhoseHealthAnswersAreTooLargeGetsNoTraffic() throws Exception {
    backends.add(Backend.healthy("b0"));
    backends.add(Backend.withHugeHealthAnswers("b1"));
    dial(DialOptions.newBuilder());
    callUntilSeen(Set.of("b0"));
    assertEquals(Map.of("b0", 40), count(40));
  }

  @Test
  void theDialOptionDisablesHealthChecks() throws Exception {
    for (int i = 0; i < 3; i++) {
      backends.add(Backend.healthy("b" + i));
    }
    backends.get(2).health.setStatus(Backend.SERVICE, ServingStatus.NOT_SERVING);
    dial(DialOptions.newBuilder().disableHealthCheck());
    callUntilSeen(Set.of("b0", "b1", "b2"));
    assertEquals(Map.of("b0", 30, "b1", 30, "b2", 30), count(90));
  }

  @Test
  void aServerShuttingDownIsLeftBeforeItGoesAway() throws Exception {
    for (int i = 0; i < 3; i++) {
      backends.add(Backend.healthy("b" + i));
    }
    Server leaving = backends.get(0).server;
    backends.get(0).health.watchShutdown(leaving);
    dial(DialOptions.newBuilder());
    callUntilSeen(Set.of("b0", "b1", "b2"));
    leaving.shutdown();
    assertTrue(leaving.awaitTermination(10, TimeUnit.SECONDS), "watches do not hold it up");
    callUntil(name -> !name.equals("b0"), "traffic left b0");
  }
}
