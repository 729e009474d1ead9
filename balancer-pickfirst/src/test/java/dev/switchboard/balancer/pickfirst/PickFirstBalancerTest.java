package dev.switchboard.balancer.pickfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import dev.switchboard.api.spi.ConfigOrError;
import dev.switchboard.api.spi.PickInfo;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.testing.FakeBalancerConn;
import dev.switchboard.testing.FakeBalancerConn.FakeSubConn;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PickFirstBalancerTest {
  private static final Address A1 = address(10001);
  private static final Address A2 = address(10002);
  private static final Address A3 = address(10003);
  private static final PickInfo PICK_INFO =
      new PickInfo(
          MethodDescriptor.of("test.Service/Method", MethodType.UNARY, String.class, String.class),
          new Metadata(),
          CallOptions.DEFAULT);
  private static final Status CONNECTION_REFUSED =
      Status.UNAVAILABLE.withDescription("connection refused");

  private final FakeBalancerConn conn = new FakeBalancerConn();
  private final PickFirstBalancerProvider provider = new PickFirstBalancerProvider();
  private Balancer balancer;

  @BeforeEach
  void createBalancer() {
    balancer = conn.call(() -> provider.newBalancer(conn));
  }

  @AfterEach
  void noErrorsInSynchronizationContext() {
    conn.run(balancer::close);
    assertEquals(List.of(), conn.uncaught);
  }

  private static Address address(int port) {
    return Address.of(new InetSocketAddress("127.0.0.1", port));
  }

  private Status update(Object config, Address... addresses) {
    return conn.call(
        () ->
            balancer.updateClientConnState(
                new ClientConnState(List.of(addresses), Attributes.EMPTY, config)));
  }

  private static PickResult pick(FakeBalancerConn.StateUpdate update) {
    return update.picker().pick(PICK_INFO);
  }

  @Test
  void firstUpdateConnectsOneSubConnOverAllAddresses() {
    assertEquals(Status.OK, update(null, A1, A2, A3));

    assertEquals(1, conn.subConns.size());
    FakeSubConn subConn = conn.subConns.get(0);
    assertEquals(List.of(A1, A2, A3), subConn.addresses());
    assertEquals(1, subConn.connectCount);
    assertEquals(ConnectivityState.CONNECTING, conn.lastUpdate().state());
    assertEquals(PickResult.Kind.NO_RESULT, pick(conn.lastUpdate()).kind());
  }

  @Test
  void connectingWaitsThenReadyPicksTheSubConn() {
    update(null, A1, A2);
    FakeSubConn subConn = conn.subConns.get(0);

    subConn.deliver(SubConnState.of(ConnectivityState.CONNECTING));
    assertEquals(ConnectivityState.CONNECTING, conn.lastUpdate().state());
    assertEquals(PickResult.Kind.NO_RESULT, pick(conn.lastUpdate()).kind());

    subConn.deliver(SubConnState.of(ConnectivityState.READY));
    assertEquals(ConnectivityState.READY, conn.lastUpdate().state());
    PickResult result = pick(conn.lastUpdate());
    assertEquals(PickResult.Kind.SUBCONN, result.kind());
    assertSame(subConn, result.subConn());
    assertSame(subConn, pick(conn.lastUpdate()).subConn());
  }

  @Test
  void transientFailureFailsPicksWithTheConnectionErrorAndRefreshesResolution() {
    update(null, A1);
    FakeSubConn subConn = conn.subConns.get(0);
    subConn.deliver(SubConnState.of(ConnectivityState.CONNECTING));

    subConn.deliver(SubConnState.failure(CONNECTION_REFUSED));

    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.lastUpdate().state());
    PickResult result = pick(conn.lastUpdate());
    assertEquals(PickResult.Kind.ERROR, result.kind());
    assertEquals(CONNECTION_REFUSED, result.status());
    assertEquals(1, conn.resolveNowCount);
  }

  @Test
  void transientFailureIsStickyUntilReady() {
    update(null, A1);
    FakeSubConn subConn = conn.subConns.get(0);
    subConn.deliver(SubConnState.failure(CONNECTION_REFUSED));
    int updates = conn.updates.size();

    // The next backoff round: CONNECTING and IDLE do not change what the channel sees.
    subConn.deliver(SubConnState.of(ConnectivityState.CONNECTING));
    subConn.deliver(SubConnState.of(ConnectivityState.IDLE));
    assertEquals(updates, conn.updates.size());
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.lastUpdate().state());
    // ...but an IDLE SubConn is kicked into connecting again.
    assertEquals(2, subConn.connectCount);

    Status timeout = Status.UNAVAILABLE.withDescription("connect timed out");
    subConn.deliver(SubConnState.failure(timeout));
    assertEquals(timeout, pick(conn.lastUpdate()).status());

    subConn.deliver(SubConnState.of(ConnectivityState.CONNECTING));
    subConn.deliver(SubConnState.of(ConnectivityState.READY));
    assertEquals(ConnectivityState.READY, conn.lastUpdate().state());
    assertSame(subConn, pick(conn.lastUpdate()).subConn());
  }

  @Test
  void idleAfterLostConnectionReconnectsOnFirstPickAndRefreshesResolution() {
    update(null, A1);
    FakeSubConn subConn = conn.subConns.get(0);
    subConn.deliver(SubConnState.of(ConnectivityState.READY));
    assertEquals(1, subConn.connectCount);

    subConn.deliver(SubConnState.of(ConnectivityState.IDLE));

    assertEquals(ConnectivityState.IDLE, conn.lastUpdate().state());
    assertEquals(1, conn.resolveNowCount);
    assertEquals(1, subConn.connectCount, "no reconnect before a call needs one");
    FakeBalancerConn.StateUpdate idle = conn.lastUpdate();
    assertEquals(PickResult.Kind.NO_RESULT, pick(idle).kind());
    assertEquals(2, subConn.connectCount);
    assertEquals(PickResult.Kind.NO_RESULT, pick(idle).kind());
    assertEquals(2, subConn.connectCount, "one request per idle picker");

    subConn.deliver(SubConnState.of(ConnectivityState.CONNECTING));
    assertEquals(ConnectivityState.CONNECTING, conn.lastUpdate().state());
  }

  @Test
  void idlePickerDoesNotReconnectASubConnAfterClose() {
    update(null, A1);
    FakeSubConn subConn = conn.subConns.get(0);
    subConn.deliver(SubConnState.of(ConnectivityState.READY));
    subConn.deliver(SubConnState.of(ConnectivityState.IDLE));
    FakeBalancerConn.StateUpdate idle = conn.lastUpdate();

    conn.run(balancer::close);
    assertTrue(subConn.shutdown);
    pick(idle);

    assertEquals(1, subConn.connectCount);
  }

  @Test
  void exitIdleConnectsAnIdleSubConn() {
    update(null, A1);
    FakeSubConn subConn = conn.subConns.get(0);
    subConn.deliver(SubConnState.of(ConnectivityState.READY));
    subConn.deliver(SubConnState.of(ConnectivityState.IDLE));

    conn.run(balancer::exitIdle);

    assertEquals(2, subConn.connectCount);
  }

  @Test
  void addressUpdateGoesToTheExistingSubConn() {
    update(null, A1, A2);
    FakeSubConn subConn = conn.subConns.get(0);
    subConn.deliver(SubConnState.of(ConnectivityState.READY));
    int updates = conn.updates.size();

    assertEquals(Status.OK, update(null, A2, A3));

    assertEquals(1, conn.subConns.size());
    assertEquals(List.of(A2, A3), subConn.addresses());
    assertEquals(1, subConn.connectCount);
    assertEquals(updates, conn.updates.size());
  }

  @Test
  void emptyAddressListFailsWithUnavailableBeforeAnySubConn() {
    Status status = update(null);

    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertTrue(conn.subConns.isEmpty());
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.lastUpdate().state());
    PickResult result = pick(conn.lastUpdate());
    assertEquals(PickResult.Kind.ERROR, result.kind());
    assertEquals(status, result.status());
  }

  @Test
  void emptyAddressListKeepsAWorkingSubConn() {
    update(null, A1);
    FakeSubConn subConn = conn.subConns.get(0);
    subConn.deliver(SubConnState.of(ConnectivityState.READY));
    int updates = conn.updates.size();

    assertEquals(Status.Code.UNAVAILABLE, update(null).getCode());

    assertEquals(updates, conn.updates.size());
    assertFalse(subConn.shutdown);
    assertEquals(ConnectivityState.READY, conn.lastUpdate().state());
  }

  @Test
  void resolverErrorFailsPicksOnlyWithoutAUsableSubConn() {
    Status dnsDown = Status.UNAVAILABLE.withDescription("dns down");
    conn.run(() -> balancer.resolverError(dnsDown));
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, conn.lastUpdate().state());
    assertEquals(dnsDown, pick(conn.lastUpdate()).status());

    update(null, A1);
    conn.subConns.get(0).deliver(SubConnState.of(ConnectivityState.READY));
    int updates = conn.updates.size();
    conn.run(() -> balancer.resolverError(dnsDown));
    assertEquals(updates, conn.updates.size());
  }

  @Test
  void shuffleAddressListShufflesWithTheGivenRandom() {
    conn.run(balancer::close);
    balancer = conn.call(() -> new PickFirstBalancer(conn, () -> new Random(42)));
    ConfigOrError config = provider.parseConfig(Map.of("shuffleAddressList", true));
    assertNull(config.error());
    List<Address> addresses = new ArrayList<>();
    for (int port = 20000; port < 20020; port++) {
      addresses.add(address(port));
    }
    List<Address> expected = new ArrayList<>(addresses);
    Collections.shuffle(expected, new Random(42));

    conn.call(
        () ->
            balancer.updateClientConnState(
                new ClientConnState(addresses, Attributes.EMPTY, config.config())));

    assertEquals(expected, conn.subConns.get(0).addresses());
    assertTrue(!expected.equals(addresses), "seed 42 must actually reorder 20 addresses");
  }

  @Test
  void withoutShuffleTheResolverOrderIsKept() {
    ConfigOrError config = provider.parseConfig(Map.of("shuffleAddressList", false));
    update(config.config(), A3, A1, A2);
    assertEquals(List.of(A3, A1, A2), conn.subConns.get(0).addresses());
  }

  @Test
  void parseConfigRejectsANonBooleanShuffleFlag() {
    ConfigOrError config = provider.parseConfig(Map.of("shuffleAddressList", "yes"));
    assertNotNull(config.error());
    assertEquals(Status.Code.UNAVAILABLE, config.error().getCode());
    assertEquals(new PickFirstConfig(false), provider.parseConfig(Map.of()).config());
  }

  @Test
  void closeShutsDownTheSubConnAndIgnoresLateReports() {
    update(null, A1);
    FakeSubConn subConn = conn.subConns.get(0);
    int updates = conn.updates.size();

    conn.run(balancer::close);
    subConn.deliver(SubConnState.of(ConnectivityState.READY));

    assertTrue(subConn.shutdown);
    assertEquals(updates, conn.updates.size());
  }

  @Test
  void reportsFromAReplacedSubConnAreIgnored() {
    update(null, A1);
    FakeSubConn subConn = conn.subConns.get(0);
    subConn.deliver(SubConnState.of(ConnectivityState.SHUTDOWN));
    int updates = conn.updates.size();

    subConn.deliver(SubConnState.of(ConnectivityState.READY));
    assertEquals(updates, conn.updates.size());

    // With the SubConn gone, the next update creates a fresh one.
    update(null, A2);
    assertEquals(2, conn.subConns.size());
  }

  @Test
  void methodsOutsideTheSynchronizationContextAreRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class,
        () ->
            balancer.updateClientConnState(
                new ClientConnState(List.of(A1), Attributes.EMPTY, null)));
  }
}
