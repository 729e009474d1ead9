package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal pick_first for channel tests: one SubConn over all addresses, connected eagerly; READY
 * picks it, CONNECTING queues, TRANSIENT_FAILURE fails with the connection error, IDLE reconnects
 * on the next pick. The real policy lives in balancer-pickfirst.
 */
final class TestPickFirstBalancer implements Balancer {
  private final BalancerConn conn;
  final List<ClientConnState> updates = new ArrayList<>();
  final List<Status> resolverErrors = new ArrayList<>();
  SubConn subConn;
  boolean closed;
  int exitIdleCount;

  TestPickFirstBalancer(BalancerConn conn) {
    this.conn = conn;
  }

  @Override
  public Status updateClientConnState(ClientConnState state) {
    updates.add(state);
    if (state.addresses().isEmpty()) {
      Status error = Status.UNAVAILABLE.withDescription("resolver returned no addresses");
      conn.updateState(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
      return error;
    }
    if (subConn == null) {
      subConn = conn.newSubConn(state.addresses(), this::onSubConnState);
      conn.updateState(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
      subConn.connect();
    } else {
      subConn.updateAddresses(state.addresses());
    }
    return Status.OK;
  }

  private void onSubConnState(SubConn sc, SubConnState state) {
    switch (state.state()) {
      case READY ->
          conn.updateState(ConnectivityState.READY, Picker.of(PickResult.withSubConn(sc)));
      case CONNECTING ->
          conn.updateState(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
      case TRANSIENT_FAILURE ->
          conn.updateState(
              ConnectivityState.TRANSIENT_FAILURE,
              Picker.of(PickResult.withError(state.connectionError())));
      case IDLE ->
          conn.updateState(
              ConnectivityState.IDLE,
              info -> {
                conn.synchronizationContext().execute(sc::connect);
                return PickResult.withNoResult();
              });
      default -> {}
    }
  }

  @Override
  public void resolverError(Status error) {
    resolverErrors.add(error);
    if (subConn == null) {
      conn.updateState(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
    }
  }

  @Override
  public void exitIdle() {
    exitIdleCount++;
    if (subConn != null) {
      subConn.connect();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (subConn != null) {
      subConn.shutdown();
    }
  }

  /** Registers as {@code name}; remembers the balancers it built. */
  static final class Provider implements BalancerProvider {
    final String name;
    final List<TestPickFirstBalancer> built = new ArrayList<>();

    Provider(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Balancer newBalancer(BalancerConn conn) {
      TestPickFirstBalancer b = new TestPickFirstBalancer(conn);
      built.add(b);
      return b;
    }

    TestPickFirstBalancer last() {
      return built.get(built.size() - 1);
    }
  }
}
