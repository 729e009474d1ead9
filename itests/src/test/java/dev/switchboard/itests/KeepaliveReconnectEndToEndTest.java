package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.clientconn.ClientConns;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server that stops answering without closing the connection (a {@link BlackholeRelay} between
 * client and server drops the connection's bytes and keeps its sockets open): client keepalive
 * notices within its time plus timeout, the in-flight call fails UNAVAILABLE, the pick_first
 * channel leaves READY, and the next call succeeds over a new connection through the relay.
 *
 * <p>The keepalive time is {@link ClientKeepalive#MIN_TIME} (10 s; shorter times are raised to it,
 * and only transport-netty's own tests can lower the floor), the timeout 1 s: the test takes about
 * 11 s.
 */
class KeepaliveReconnectEndToEndTest {
  private static final Duration TIME = ClientKeepalive.MIN_TIME;
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  // Timer and scheduling slack on a loaded machine: the PING goes out at most TIME after the last
  // read, the close at most TIMEOUT after it.
  private static final Duration SLACK = Duration.ofSeconds(5);
  private static final String PICK_FIRST = "{\"loadBalancingConfig\":[{\"pick_first\":{}}]}";
  private static final BackoffConfig FAST =
      new BackoffConfig(
          Duration.ofMillis(50), 1.6, 0.2, Duration.ofMillis(500), Duration.ofSeconds(20));

  @Test
  void keepaliveDetectsASilentServerAndTheChannelReconnects() throws Exception {
    EchoService service = new EchoService("silent");
    Server server =
        Loopback.start(
            service,
            ServerOptions.newBuilder().insecure().permitKeepAliveTime(Duration.ofSeconds(1)));
    try (BlackholeRelay relay = BlackholeRelay.start(server.port());
        ClientConn conn =
            ClientConns.newClient(
                relay.target(),
                Loopback.insecure()
                    .defaultServiceConfig(PICK_FIRST)
                    .backoff(FAST)
                    .keepalive(ClientKeepalive.newBuilder().time(TIME).timeout(TIMEOUT).build())
                    .build())) {
      assertEquals(
          "one",
          Loopback.unary(conn, EchoService.UNARY, str("one"), CallOptions.DEFAULT).getValue());
      assertEquals(ConnectivityState.READY, conn.getState(false));
      assertEquals(1, relay.accepted());
      BlockingQueue<ConnectivityState> states = recordStates(conn, ConnectivityState.READY);

      RecordingListener<StringValue> inFlight =
          Loopback.call(conn, EchoService.HANG, CallOptions.DEFAULT, new Metadata(), str("x"));
      assertEquals("started", service.events.poll(30, TimeUnit.SECONDS));
      long blackholedAt = System.nanoTime();
      relay.blackhole();

      Status failed = inFlight.status.get(60, TimeUnit.SECONDS);
      Duration detection = Duration.ofNanos(System.nanoTime() - blackholedAt);
      assertEquals(Status.Code.UNAVAILABLE, failed.getCode(), failed.toString());
      assertTrue(
          failed.getDescription() != null && failed.getDescription().contains("keepalive"),
          "closed by keepalive: " + failed);
      assertTrue(
          detection.compareTo(TIME.plus(TIMEOUT).plus(SLACK)) <= 0,
          "detected within time + timeout (+ slack): " + detection);
      assertTrue(detection.compareTo(TIMEOUT) >= 0, "not before the PING timed out: " + detection);

      ConnectivityState left = states.poll(30, TimeUnit.SECONDS);
      assertNotNull(left, "the channel left READY");
      assertTrue(left != ConnectivityState.READY, "left READY for " + left);

      StringValue after =
          Loopback.unary(
              conn, EchoService.UNARY, str("two"), CallOptions.DEFAULT.withWaitForReady());
      assertEquals("two", after.getValue());
      assertTrue(relay.accepted() >= 2, "the second call went over a new connection");
      assertEquals(ConnectivityState.READY, conn.getState(false));
    } finally {
      service.release.countDown();
      server.shutdownNow();
    }
  }

  /**
   * Every state the channel moves to after {@code from}, in order: a chain of one-shot
   * notifications, each registering the next.
   */
  private static BlockingQueue<ConnectivityState> recordStates(
      ClientConn conn, ConnectivityState from) {
    BlockingQueue<ConnectivityState> states = new LinkedBlockingQueue<>();
    new Object() {
      void watch(ConnectivityState last) {
        conn.notifyWhenStateChanged(
            last,
            () -> {
              ConnectivityState now = conn.getState(false);
              states.add(now);
              if (now != ConnectivityState.SHUTDOWN) {
                watch(now);
              }
            },
            Runnable::run);
      }
    }.watch(from);
    return states;
  }
}
