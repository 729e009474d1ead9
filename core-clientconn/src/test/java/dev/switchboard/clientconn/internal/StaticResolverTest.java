package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;
import dev.switchboard.testing.FakeClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StaticResolverTest {
  private final FakeClock clock = new FakeClock();
  private final List<ResolverState> states = new ArrayList<>();
  private final List<Status> errors = new ArrayList<>();
  private final ResolverConn conn =
      new ResolverConn() {
        @Override
        public void updateState(ResolverState state) {
          states.add(state);
        }

        @Override
        public void reportError(Status error) {
          errors.add(error);
        }

        @Override
        public boolean serviceConfigLookupDisabled() {
          return false;
        }

        @Override
        public SynchronizationContext synchronizationContext() {
          throw new UnsupportedOperationException();
        }

        @Override
        public ScheduledExecutorService scheduledExecutor() {
          return clock.scheduledExecutor();
        }
      };

  private static Backoff backoff() {
    return new Backoff(BackoffConfig.DEFAULT, () -> 0.5);
  }

  @Test
  void failedLookupIsRetriedByTheResolverWithBackoff() {
    int[] lookups = {0};
    StaticResolver r =
        new StaticResolver(
            List.of(InetSocketAddress.createUnresolved("backend.example", 80)),
            null,
            conn,
            clock.executor(),
            backoff(),
            host -> {
              if (++lookups[0] <= 2) {
                throw new UnknownHostException(host + ": no such host");
              }
              return InetAddress.getByAddress(host, new byte[] {10, 0, 0, 1});
            });
    r.start();
    clock.runPendingTasks();
    assertEquals(1, errors.size());
    assertEquals(
        "cannot resolve host 'backend.example': backend.example: no such host",
        errors.get(0).getDescription());
    r.resolveNow(); // a retry is scheduled: adds nothing
    assertEquals(0, clock.numPendingTasks());

    clock.forwardTime(999, TimeUnit.MILLISECONDS);
    assertEquals(0, clock.numPendingTasks());
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    clock.runPendingTasks();
    assertEquals(2, errors.size(), "second lookup after the 1 s base delay");
    clock.forwardTime(1599, TimeUnit.MILLISECONDS);
    assertEquals(0, clock.numPendingTasks());
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    clock.runPendingTasks();
    assertEquals(1, states.size(), "third lookup after 1.6 s succeeds");
    assertEquals(0, clock.numScheduledTasks(), "no retry after a success");
  }

  @Test
  void closeCancelsTheRetry() {
    StaticResolver r =
        new StaticResolver(
            List.of(InetSocketAddress.createUnresolved("backend.example", 80)),
            null,
            conn,
            clock.executor(),
            backoff(),
            host -> {
              throw new UnknownHostException(host);
            });
    r.start();
    clock.runPendingTasks();
    assertEquals(1, clock.numScheduledTasks());
    r.close();
    assertEquals(0, clock.numScheduledTasks());
  }

  @Test
  void resolvedAddressesAreReportedAtOnce() {
    InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1);
    StaticResolver r = new StaticResolver(List.of(a), null, conn, clock.executor(), backoff());
    r.start();
    assertEquals(List.of(Address.of(a)), states.get(0).addresses());
    assertEquals(0, clock.numPendingTasks());
    r.resolveNow();
    assertEquals(2, states.size(), "re-reported so a failed balancer can be rebuilt");
  }

  @Test
  void namesAreLookedUpOnTheBlockingExecutorOneAtATime() {
    StaticResolver r =
        StaticResolver.forEndpoints("127.0.0.1:80,[::1]:81", conn, clock.executor(), backoff());
    r.start();
    r.resolveNow();
    assertTrue(states.isEmpty());
    assertEquals(1, clock.numPendingTasks(), "lookups are coalesced");
    clock.runPendingTasks();
    List<Address> addresses = states.get(0).addresses();
    assertEquals(2, addresses.size());
    InetSocketAddress first = (InetSocketAddress) addresses.get(0).socketAddress();
    assertTrue(!first.isUnresolved());
    assertEquals(80, first.getPort());
    assertEquals(81, ((InetSocketAddress) addresses.get(1).socketAddress()).getPort());
  }

  @Test
  void closedResolverStaysQuiet() {
    StaticResolver r =
        StaticResolver.forEndpoints("127.0.0.1:80", conn, clock.executor(), backoff());
    r.start();
    r.close();
    clock.runPendingTasks();
    assertTrue(states.isEmpty());
  }

  @Test
  void malformedEndpointListIsReportedOnStart() {
    StaticResolver r =
        StaticResolver.forEndpoints("127.0.0.1:80,:1", conn, clock.executor(), backoff());
    r.start();
    assertEquals(
        "invalid static target '127.0.0.1:80,:1': missing host in ':1'",
        errors.get(0).getDescription());
  }

  @Test
  void passthroughDefaultsThePort() {
    PassthroughResolver.create(
            new Target("passthrough", "", "127.0.0.1", "127.0.0.1"),
            conn,
            clock.executor(),
            backoff())
        .start();
    clock.runPendingTasks();
    InetSocketAddress a = (InetSocketAddress) states.get(0).addresses().get(0).socketAddress();
    assertEquals(443, a.getPort());
  }
}
