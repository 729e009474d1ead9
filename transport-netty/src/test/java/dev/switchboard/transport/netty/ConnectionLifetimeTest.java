package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Max connection idle, age with jitter, and age grace on fake time. */
class ConnectionLifetimeTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final FakeClock clock = new FakeClock();
  private final List<String> actions = new ArrayList<>();
  private double random = 0.5; // no jitter

  private ConnectionLifetime lifetime(ServerKeepalive settings) {
    return new ConnectionLifetime(
        new ConnectionLifetime.Actions() {
          @Override
          public void closeGracefully(String reason) {
            actions.add("graceful: " + reason);
          }

          @Override
          public void closeNow(String reason) {
            actions.add("now: " + reason);
          }
        },
        clock.scheduledExecutor(),
        clock::nanoTime,
        settings,
        () -> random);
  }

  private void forward(long nanos) {
    clock.forwardTime(nanos, TimeUnit.NANOSECONDS);
  }

  @Test
  void defaultsScheduleNothing() {
    lifetime(ServerKeepalive.DEFAULT).start();
    assertEquals(0, clock.numScheduledTasks(), "no idle or age limit by default");
  }

  @Test
  void idleConnectionIsClosedGracefullyAfterMaxIdle() {
    ConnectionLifetime l =
        lifetime(ServerKeepalive.newBuilder().maxConnectionIdle(Duration.ofSeconds(10)).build());
    l.start();
    forward(10 * SECOND - 1);
    assertEquals(List.of(), actions);
    forward(1);
    assertEquals(List.of("graceful: max connection idle"), actions);
  }

  @Test
  void openCallsKeepTheConnectionAndIdlenessCountsFromTheLastCall() {
    ConnectionLifetime l =
        lifetime(ServerKeepalive.newBuilder().maxConnectionIdle(Duration.ofSeconds(10)).build());
    l.start();
    forward(5 * SECOND);
    l.callsStarted();
    forward(60 * SECOND);
    assertEquals(List.of(), actions, "never idle while a call is open");
    l.callsEnded();
    forward(5 * SECOND);
    l.callsStarted();
    forward(SECOND);
    l.callsEnded();
    forward(10 * SECOND - 1);
    assertEquals(List.of(), actions);
    forward(1);
    assertEquals(List.of("graceful: max connection idle"), actions);
  }

  @Test
  void ageClosesGracefullyThenForcefullyAfterTheGrace() {
    ConnectionLifetime l =
        lifetime(
            ServerKeepalive.newBuilder()
                .maxConnectionAge(Duration.ofSeconds(100))
                .maxConnectionAgeGrace(Duration.ofSeconds(5))
                .build());
    l.start();
    l.callsStarted();
    forward(100 * SECOND - 1);
    assertEquals(List.of(), actions);
    forward(1);
    assertEquals(List.of("graceful: max connection age"), actions);
    forward(5 * SECOND);
    assertEquals(
        List.of("graceful: max connection age", "now: max connection age grace is over"), actions);
  }

  @Test
  void infiniteGraceNeverForces() {
    ConnectionLifetime l =
        lifetime(ServerKeepalive.newBuilder().maxConnectionAge(Duration.ofSeconds(100)).build());
    l.start();
    forward(1000 * SECOND);
    assertEquals(List.of("graceful: max connection age"), actions);
    assertEquals(0, clock.numScheduledTasks());
  }

  @Test
  void ageIsJitteredByTenPercentEitherWay() {
    ConnectionLifetime l =
        lifetime(ServerKeepalive.newBuilder().maxConnectionAge(Duration.ofSeconds(100)).build());
    random = 0;
    assertEquals(90 * SECOND, l.jitteredAge());
    random = 0.999999;
    long high = l.jitteredAge();
    assertTrue(high > 109 * SECOND && high <= 110 * SECOND, "high: " + high);
    random = 0.25;
    assertEquals(95 * SECOND, l.jitteredAge());
    random = 0;
    l.start();
    forward(90 * SECOND);
    assertEquals(List.of("graceful: max connection age"), actions);
  }

  @Test
  void stopCancelsEveryTimer() {
    ConnectionLifetime l =
        lifetime(
            ServerKeepalive.newBuilder()
                .maxConnectionIdle(Duration.ofSeconds(1))
                .maxConnectionAge(Duration.ofSeconds(2))
                .maxConnectionAgeGrace(Duration.ofSeconds(1))
                .build());
    l.start();
    l.stop();
    forward(100 * SECOND);
    assertEquals(List.of(), actions);
    l.callsEnded();
    forward(100 * SECOND);
    assertEquals(List.of(), actions, "stopped stays stopped");
  }
}
