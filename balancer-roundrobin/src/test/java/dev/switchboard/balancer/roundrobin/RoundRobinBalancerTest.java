package dev.switchboard.balancer.roundrobin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.PickInfo;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.testing.FakeBalancerConn;
import dev.switchboard.testing.FakeBalancerConn.FakeSubConn;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {
  private static final Address A1 = address(10001);
  private static final Address A2 = address(10002);
  private static final Address A3 = address(10003);
  private static final PickInfo PICK_INFO =
      new PickInfo(
          MethodDescriptor.of("test.Service/Method", MethodType.UNARY, String.class, String.class),
          new Metadata(),
          CallOptions.DEFAULT);
  private static final Status REFUSED = Status.UNAVAILABLE.withDescription("connection refused");

  private final FakeBalancerConn conn = new FakeBalancerConn();
  private Balancer balancer;

  @BeforeEach
  void createBalancer() {
    balancer = conn.call(() -> new RoundRobinBalancerProvider().newBalancer(conn));
  }

  @AfterEach
  void noErrorsInSynchronizationContext() {
    conn.run(balancer::close);
    assertEquals(List.of(), conn.uncaught);
  }

  private static Address address(int port) {
    return Address.of(new InetSocketAddress("127.0.0.1", port));
  }

  private Status update(Address... addresses) {
    return conn.call(
        () ->
            balancer.updateClientConnState(
                new ClientConnState(List.of(addresses), Attributes.EMPTY, null)));
  }

  private FakeSubConn subConnFor(Address address) {
    return conn.subConns.stream()
        .filter(s -> s.addresses().get(0).socketAddress().equals(address.socketAddress()))
        .reduce((first, second) -> second) // the newest
        .orElseThrow();
  }

  private void allReady() {
    for (FakeSubConn subConn : conn.subConns) {
      if (!subConn.shutdown) {
        subConn.deliver(SubConnState.of(ConnectivityState.CONNECTING));
        subConn.deliver(SubConnState.of(ConnectivityState.READY));
      }
    }
  }

  /** Picks {@code n} times from the current picker and counts the picks per SubConn. */
  private Map<SubConn, Integer> pickCounts(int n) {
    Picker picker = conn.lastUpdate().picker();
    Map<SubConn, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      PickResult result = picker.pick(PICK_INFO);
      assertEquals(PickResult.Kind.SUBCONN, result.kind(), "pick " + i);
      counts.merge(result.subConn(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void createsAndConnectsOneSubConnPerAddress() {
    assertEquals(Status.OK, update(A1, A2, A3));

    assertEquals(3, conn.subConns.size());
    for (FakeSubConn subConn : conn.subConns) {
      assertEquals(1, subConn.addresses().size());
      assertEquals(1, subConn.connectCount);
    }
    assertEquals(
        List.of(A1, A2, A3), conn.subConns.stream().map(s -> s.addresses().get(0)).toList());
    assertEquals(ConnectivityState.CONNECTING, conn.lastUpdate().state());
    assertEquals(PickResult.Kind.NO_RESULT, conn.lastUpdate().picker().pick(PICK_INFO).kind());
  }

  @Test
  void rotatesEvenlyOverThreeReadySubConns() {
    update(A1, A2, A3);
    allReady();

    assertEquals(ConnectivityState.READY, conn.lastUpdate().state());
    Map<SubConn, Integer> counts = pickCounts(30);
    assertEquals(Map.of(subConnFor(A1), 10, subConnFor(A2), 10, subConnFor(A3), 10), counts);
  }

  @Test
  void consecutivePicksNeverRepeatASubConn() {
    update(A1, A2, A3);
    allReady();
    Picker picker = conn.lastUpdate().picker();
    SubConn previous = picker.pick(PICK_INFO).subConn();
    for (int i = 0; i < 10; i++) {
      SubConn next = picker.pick(PICK_INFO).subConn();
      assertFalse(next == previous);
      previous = next;
    }
  }

  @Test
  void readyAsSoonAsOneSubConnIsReady() {
    update(A1, A2, A3);
    subConnFor(A2).deliver(SubConnState.of(ConnectivityState.READY));

    assertEquals(ConnectivityState.READY, conn.lastUpdate().state());
    assertEquals(Map.of(subConnFor(A2), 5), pickCounts(5));
  }

  @Test
  void routesAroundAFailedBackendAndRecoversWhenItReturns() {
    update(A1, A2, A3);
    allReady();
    int resolveNowBefore = conn.resolveNowCount;

    subConnFor(A2).deliver(SubConnState.of(ConnectivityState.IDLE));
    subConnFor(A2).deliver(SubConnState.of(ConnectivityState.CONNECTING));
    subConnFor(A2).deliver(SubConnState.failure(REFUSED));

    assertEquals(ConnectivityState.READY, conn.lastUpdate().state());
    assertEquals(Map.of(subConnFor(A1), 15, subConnFor(A3), 15), pickCounts(30));
    assertEquals(resolveNowBefore + 2, conn.resolveNowCount, "IDLE and TRANSIENT_FAILURE");

    subConnFor(A2).deliver(SubConnState.of(ConnectivityState.CONNECTING));
    subConnFor(A2).deliver(SubConnState.of(ConnectivityState.READY));

    assertEquals(
        Map.of(subConnFor(A1), 10, subConnFor(A2), 10, subConnFor(A3), 10), pickCounts(30));
  }

  @Test
  void idleSubConnReconnectsImmediately() {
    update(A1, A2);
    allReady();
    FakeSubConn subConn = subConnFor(A1);
    assertEquals(1, subConn.connectCount);

    subConn.deliver(SubConnState.of(ConnectivityState.IDLE));

    assertEquals(2, subConn.connectCount);
    assertEquals(1, conn.resolveNowCount);
    assertEquals(Map.of(subConnFor(A2), 4), pickCounts(4));
  }

  @Test
  void losingTheLastReadySubConnGoesConnecting() {
    update(A1);
    allReady();

    subConnFor(A1).deliver(SubConnState.of(ConnectivityState.IDLE));

    assertEquals(ConnectivityState.CONNECTING, conn.lastUpdate().state());
    assertEquals(PickResult.Kind.NO_RESULT, conn.lastUpdate().picker().pick(PICK_INFO).kind());
  }

  @Test
  void removedAddressIsShutDownAndTheOthersAreKept() {
    update(A1, A2, A3);
    allReady();
    FakeSubConn s1 = subConnFor(A1);
    FakeSubConn s2 = subConnFor(A2);
    FakeSubConn s3 = subConnFor(A3);

    assertEquals(Status.OK, update(A1, A3));

    assertEquals(3, conn.subConns.size(), "no new SubConn");
    assertTrue(s2.shutdown);
    assertFalse(s1.shutdown);
    assertFalse(s3.shutdown);
    assertEquals(1, s1.connectCount);
    assertEquals(ConnectivityState.READY, conn.lastUpdate().state());
    assertEquals(Map.of(s1, 5, s3, 5), pickCounts(10));

    // Late reports from the removed SubConn change nothing.
    int updates = conn.updates.size();
    s2.deliver(SubConnState.failure(REFUSED));
    s2.deliver(SubConnState.of(ConnectivityState.SHUTDOWN));
    assertEquals(updates, conn.updates.size());
  }

  @Test
  void addedAddressGetsANewConnectedSubConn() {
    update(A1);
    allReady();

    update(A1, A2);

    assertEquals(2, conn.subConns.size());
    assertEquals(1, subConnFor(A2).connectCount);
    subConnFor(A2).deliver(SubConnState.of(ConnectivityState.READY));
    assertEquals(Map.of(subConnFor(A1), 2, subConnFor(A2), 2), pickCounts(4));
  }

  @Test
  void sameSocketAddressWithNewAttributesKeepsTheSubConn() {
    update(A1);
    Attributes.Key<String> zone = Attributes.Key.create("zone");
    Address relabelled =
        new Address(A1.socketAddress(), Attributes.newBuilder().set(zone, "b").build(), null);

    update(relabelled);

    assertEquals(1, conn.subConns.size());
    assertEquals(List.of(relabelled), subConnFor(A1).addresses());
  }

  @Test
  void allFailedFailsPicksWithAConnectionError() {
    update(A1, A2, A3);
    subConnFor(A1).deliver(SubConnState.failure(Status.UNAVAILABLE.withDescription("one")));
    subConnFor(A2).deliver(SubConnState.failure(Status.UNAVAILABLE.withDescription("two")));
    assertEquals(ConnectivityState.CONNECTING, conn.lastUpdate().state());

    subConnFor(A3).deliver(SubConnState.failure(REFUSED));

    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.lastUpdate().state());
    PickResult result = conn.lastUpdate().picker().pick(PICK_INFO);
    assertEquals(PickResult.Kind.ERROR, result.kind());
    assertEquals(REFUSED, result.status());
    assertEquals(3, conn.resolveNowCount);
  }

  @Test
  void allFailedStaysTransientFailureThroughBackoffUntilOneIsReady() {
    update(A1, A2);
    subConnFor(A1).deliver(SubConnState.failure(REFUSED));
    subConnFor(A2).deliver(SubConnState.failure(REFUSED));
    int updates = conn.updates.size();

    subConnFor(A1).deliver(SubConnState.of(ConnectivityState.IDLE));
    subConnFor(A1).deliver(SubConnState.of(ConnectivityState.CONNECTING));
    subConnFor(A2).deliver(SubConnState.of(ConnectivityState.CONNECTING));

    assertEquals(updates, conn.updates.size());
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.lastUpdate().state());
    assertEquals(2, subConnFor(A1).connectCount, "IDLE after backoff reconnects");

    subConnFor(A2).deliver(SubConnState.of(ConnectivityState.READY));
    assertEquals(ConnectivityState.READY, conn.lastUpdate().state());
    assertEquals(Map.of(subConnFor(A2), 3), pickCounts(3));
  }

  @Test
  void emptyAddressListFailsWithUnavailable() {
    Status status = update();

    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertTrue(conn.subConns.isEmpty());
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.lastUpdate().state());
    PickResult result = conn.lastUpdate().picker().pick(PICK_INFO);
    assertEquals(PickResult.Kind.ERROR, result.kind());
    assertEquals(status, result.status());
  }

  @Test
  void emptyAddressListKeepsWorkingSubConns() {
    update(A1, A2);
    allReady();
    int updates = conn.updates.size();

    assertEquals(Status.Code.UNAVAILABLE, update().getCode());

    assertEquals(updates, conn.updates.size());
    assertFalse(subConnFor(A1).shutdown);
    assertEquals(Map.of(subConnFor(A1), 1, subConnFor(A2), 1), pickCounts(2));
  }

  @Test
  void resolverErrorIsAddedToTheFailureWhenAllFailed() {
    update(A1);
    subConnFor(A1).deliver(SubConnState.failure(REFUSED));

    conn.run(() -> balancer.resolverError(Status.UNAVAILABLE.withDescription("dns down")));

    Status status = conn.lastUpdate().picker().pick(PICK_INFO).status();
    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertTrue(status.getDescription().contains("connection refused"), status.toString());
    assertTrue(status.getDescription().contains("dns down"), status.toString());
  }

  @Test
  void exitIdleConnectsIdleSubConns() {
    update(A1);
    FakeSubConn subConn = subConnFor(A1);
    conn.run(balancer::exitIdle);
    assertEquals(2, subConn.connectCount, "SubConns start IDLE until they report");

    subConn.deliver(SubConnState.of(ConnectivityState.CONNECTING));
    conn.run(balancer::exitIdle);
    assertEquals(2, subConn.connectCount);
  }

  @Test
  void closeShutsDownEverySubConn() {
    update(A1, A2);
    allReady();

    conn.run(balancer::close);

    assertTrue(conn.subConns.stream().allMatch(s -> s.shutdown));
    int updates = conn.updates.size();
    subConnFor(A1).deliver(SubConnState.of(ConnectivityState.IDLE));
    assertEquals(updates, conn.updates.size());
  }

  @Test
  void readyPickerIsPublishedAsAReadyPicker() {
    update(A1);
    allReady();
    assertInstanceOf(ReadyPicker.class, conn.lastUpdate().picker());
  }
}
