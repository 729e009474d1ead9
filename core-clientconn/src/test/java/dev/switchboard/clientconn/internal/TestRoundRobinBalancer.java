package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal round_robin for channel tests: one SubConn per address, reconnected as soon as it goes
 * IDLE; READY (rotating over READY SubConns) when any is READY, else CONNECTING (picks wait). The
 * real policy lives in balancer-roundrobin. Serializer only, except the immutable picker.
 */
final class TestRoundRobinBalancer implements Balancer {
  private final BalancerConn conn;
  private final Map<Address, SubConn> subConns = new LinkedHashMap<>();
  private final Map<SubConn, ConnectivityState> states = new LinkedHashMap<>();
  volatile boolean closed;

  TestRoundRobinBalancer(BalancerConn conn) {
    this.conn = conn;
  }

  @Override
  public Status updateClientConnState(ClientConnState state) {
    for (Address a : state.addresses()) {
      if (!subConns.containsKey(a)) {
        SubConn sc = conn.newSubConn(List.of(a), this::onSubConnState);
        subConns.put(a, sc);
        states.put(sc, ConnectivityState.IDLE);
        sc.connect();
      }
    }
    publish();
    return Status.OK;
  }

  private void onSubConnState(SubConn sc, SubConnState state) {
    if (!states.containsKey(sc)) {
      return;
    }
    states.put(sc, state.state());
    if (state.state() == ConnectivityState.IDLE) {
      sc.connect();
    }
    publish();
  }

  private void publish() {
    List<SubConn> ready = new ArrayList<>();
    states.forEach(
        (sc, st) -> {
          if (st == ConnectivityState.READY) {
            ready.add(sc);
          }
        });
    if (ready.isEmpty()) {
      conn.updateState(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
      return;
    }
    List<SubConn> snapshot = List.copyOf(ready);
    AtomicInteger next = new AtomicInteger();
    conn.updateState(
        ConnectivityState.READY,
        info ->
            PickResult.withSubConn(
                snapshot.get(Math.floorMod(next.getAndIncrement(), snapshot.size()))));
  }

  @Override
  public void resolverError(Status error) {}

  @Override
  public void close() {
    closed = true;
    for (SubConn sc : subConns.values()) {
      sc.shutdown();
    }
    subConns.clear();
    states.clear();
  }

  /** Registers as {@code round_robin} (or another name); remembers what it built. */
  static class Provider implements BalancerProvider {
    final String name;
    final String version;
    final List<TestRoundRobinBalancer> built = new CopyOnWriteArrayList<>();

    Provider(String version) {
      this("round_robin", version);
    }

    Provider(String name, String version) {
      this.name = name;
      this.version = version;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Balancer newBalancer(BalancerConn conn) {
      TestRoundRobinBalancer b = new TestRoundRobinBalancer(conn);
      built.add(b);
      return b;
    }

    TestRoundRobinBalancer last() {
      return built.get(built.size() - 1);
    }

    @Override
    public String toString() {
      return name + " " + version;
    }
  }
}
