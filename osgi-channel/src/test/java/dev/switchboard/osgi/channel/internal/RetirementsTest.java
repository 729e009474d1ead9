package dev.switchboard.osgi.channel.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.clientconn.ClientConns;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Retired channels are shut down gracefully after their delay, or at once when asked. */
class RetirementsTest {
  private final Retirements retirements = new Retirements();

  private static ClientConn channel() {
    return ClientConns.newClient("127.0.0.1:1", DialOptions.newBuilder().insecure().build());
  }

  @Test
  void aRetiredChannelTakesCallsUntilTheDelayThenShutsDown() throws InterruptedException {
    ClientConn conn = channel();
    CountDownLatch done = new CountDownLatch(1);
    retirements.retire("orders", conn, Duration.ofMillis(200), done::countDown);
    assertFalse(conn.isShutdown(), "still taking calls during the delay");
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertTrue(conn.isShutdown());
    assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void shutdownAllEndsTheWaitAtOnce() throws InterruptedException {
    ClientConn conn = channel();
    retirements.retire("orders", conn, Duration.ofHours(1), () -> {});
    assertFalse(conn.isShutdown());
    retirements.shutdownAll();
    assertTrue(conn.isShutdown(), "the bundle is stopping: no more waiting");
    assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
  }
}
