package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.clientconn.ClientConns;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The public entry point on real threads: shared timer, lookup pool and call executor. */
class ClientConnsTest {
  private final ChannelFixture f = new ChannelFixture();

  @Test
  void blockingDialThenACallOnSharedThreads() throws InterruptedException {
    f.transport.autoReady = true;
    ClientConn conn =
        ClientConns.newClient("127.0.0.1:4321", f.options().block(Duration.ofSeconds(10)).build());
    assertEquals(ConnectivityState.READY, conn.getState(false));
    assertEquals(new InetSocketAddress("127.0.0.1", 4321), f.transport.last().address);

    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<Status> status = new AtomicReference<>();
    AtomicReference<String> thread = new AtomicReference<>();
    ClientStream<String, String> call = conn.newStream(ChannelFixture.UNARY, CallOptions.DEFAULT);
    call.start(
        new ClientStreamListener<>() {
          @Override
          public void onClose(Status s, Metadata trailers) {
            status.set(s);
            thread.set(Thread.currentThread().getName());
            closed.countDown();
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage("hi");
    call.halfClose();
    FakeStream<String> stream = f.lastStream();
    stream.deliverMessage("hello");
    stream.close(Status.OK, new Metadata());
    assertTrue(closed.await(10, TimeUnit.SECONDS));
    assertEquals(Status.OK, status.get());
    assertTrue(thread.get().startsWith("switchboard-callbacks-"), thread.get());

    conn.close();
    assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(1, f.transport.factoriesClosed);
  }

  @Test
  void blockingDialFailsWithTheConnectionError() {
    f.transport.autoFail = Status.UNAVAILABLE.withDescription("connection refused");
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                ClientConns.newClient(
                    List.of(new InetSocketAddress("127.0.0.1", 1)),
                    f.options().block(Duration.ofMillis(200)).build()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("connection refused"));
  }

  @Test
  void blockingDialWaitingForATransportSaysSo() {
    f.transports.deregister(f.transport);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                ClientConns.newClient(
                    "127.0.0.1:4321", f.options().block(Duration.ofMillis(200)).build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertTrue(
        e.getStatus()
            .getDescription()
            .endsWith(
                "(state CONNECTING); last error: no "
                    + "transport 'netty' deployed: register a TransportProvider for 'netty' in the "
                    + "TransportRegistry in use"),
        e.getStatus().getDescription());
  }

  @Test
  void unknownSchemeFailsCallsNamingTheResolverWithoutAGracePeriod() throws InterruptedException {
    ClientConn conn =
        ClientConns.newClient("xyz:///svc", f.options().providerGrace(Duration.ZERO).build());
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<Status> status = new AtomicReference<>();
    ClientStream<String, String> call = conn.newStream(ChannelFixture.UNARY, CallOptions.DEFAULT);
    call.start(
        new ClientStreamListener<>() {
          @Override
          public void onClose(Status s, Metadata trailers) {
            status.set(s);
            closed.countDown();
          }
        },
        new Metadata());
    assertTrue(closed.await(10, TimeUnit.SECONDS));
    assertEquals(
        "no resolver for scheme 'xyz' deployed: register a ResolverProvider for 'xyz' "
            + "in the ResolverRegistry in use",
        status.get().getDescription());
    conn.close();
    assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
  }
}
