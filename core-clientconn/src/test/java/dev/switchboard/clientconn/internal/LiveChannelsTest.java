package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.clientconn.ClientConns;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientConns#liveChannels()}: channels created by {@code ClientConns} are listed in
 * creation order until closed, and one dropped without closing leaves the list once collected.
 * Other tests in the JVM may have channels of their own, so only this test's are looked at.
 */
class LiveChannelsTest {
  private final ChannelFixture f = new ChannelFixture();
  private final List<ClientConn> opened = new ArrayList<>();

  @AfterEach
  void closeChannels() {
    opened.forEach(ClientConn::close);
  }

  @Test
  void creationAddsInOrderAndCloseRemoves() {
    ClientConn a = open("fake:///live-a");
    ClientConn b = open("fake:///live-b");
    assertEquals(List.of(a, b), listed(a, b, null));
    ClientConn c =
        ClientConns.newClient(
            List.of(new InetSocketAddress("127.0.0.1", 4321)), f.options().build());
    opened.add(c);
    assertEquals(List.of(a, b, c), listed(a, b, c));
    assertEquals(ConnectivityState.IDLE, b.getState(false), "listing does not connect");

    b.close();
    assertEquals(List.of(a, c), listed(a, b, c));
    b.close(); // idempotent
    assertEquals(List.of(a, c), listed(a, b, c));
    a.close();
    c.close();
    assertEquals(List.of(), listed(a, b, c));
  }

  @Test
  void snapshotIsImmutableAndDetached() {
    ClientConn a = open("fake:///live-snapshot");
    List<ClientConn> snapshot = ClientConns.liveChannels();
    assertThrows(UnsupportedOperationException.class, () -> snapshot.add(a));
    a.close();
    assertTrue(snapshot.contains(a), "an earlier snapshot keeps what it saw");
    assertFalse(ClientConns.liveChannels().contains(a));
  }

  @Test
  void failedBlockingDialIsNotListed() {
    f.transport.autoFail = Status.UNAVAILABLE.withDescription("connection refused");
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 4322);
    assertThrows(
        StatusRuntimeException.class,
        () ->
            ClientConns.newClient(
                List.of(address), f.options().block(Duration.ofMillis(200)).build()));
    assertFalse(isListed("static:///127.0.0.1:4322"));
  }

  @Test
  void channelDroppedWithoutCloseDisappearsOnceCollected() {
    String target = "fake:///live-dropped-" + System.nanoTime();
    WeakReference<ClientConn> dropped = createAndDrop(target);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (dropped.get() != null || isListed(target)) {
      if (System.nanoTime() - deadline > 0) {
        fail(
            "channel to "
                + target
                + " still "
                + (dropped.get() != null ? "reachable" : "listed")
                + " after 30 s of System.gc()");
      }
      System.gc();
    }
  }

  /** Creates a listed channel and keeps only a weak reference to it. */
  private WeakReference<ClientConn> createAndDrop(String target) {
    ClientConn conn = ClientConns.newClient(target, f.options().build());
    assertTrue(isListed(target));
    return new WeakReference<>(conn);
  }

  private ClientConn open(String target) {
    ClientConn conn = ClientConns.newClient(target, f.options().build());
    opened.add(conn);
    return conn;
  }

  /** The live channels among {@code mine}, in the registry's order. */
  private static List<ClientConn> listed(ClientConn... mine) {
    List<ClientConn> out = new ArrayList<>();
    for (ClientConn conn : ClientConns.liveChannels()) {
      for (ClientConn m : mine) {
        if (conn == m) {
          out.add(conn);
        }
      }
    }
    return out;
  }

  /** Whether a live channel has this target; keeps no reference to it. */
  private static boolean isListed(String target) {
    return ClientConns.liveChannels().stream().anyMatch(c -> c.target().equals(target));
  }
}
