package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import java.util.ArrayList;
import java.util.List;

/** A balancer the test scripts through its {@link BalancerConn}; it can be told to throw. */
final class ScriptedBalancer implements Balancer {
  final BalancerConn conn;
  final List<ClientConnState> updates = new ArrayList<>();
  final List<SubConnState> subConnStates = new ArrayList<>();
  boolean closed;

  ScriptedBalancer(BalancerConn conn) {
    this.conn = conn;
  }

  @Override
  public Status updateClientConnState(ClientConnState state) {
    if (Provider.throwOnUpdate) {
      throw new IllegalStateException("scripted failure");
    }
    updates.add(state);
    return Status.OK;
  }

  @Override
  public void resolverError(Status error) {}

  @Override
  public void close() {
    closed = true;
  }

  /** Creates and connects a SubConn, recording its states; call from the test thread. */
  SubConn connectSubConn(ClientConnState state) {
    SubConn[] out = new SubConn[1];
    conn.synchronizationContext()
        .execute(
            () -> {
              out[0] =
                  conn.newSubConn(
                      state.addresses(),
                      (sc, st) -> {
                        subConnStates.add(st);
                        if (Provider.throwOnSubConnState) {
                          throw new IllegalStateException("listener failure");
                        }
                      });
              out[0].connect();
            });
    return out[0];
  }

  /** Publishes a state and picker from the test thread. */
  void publish(ConnectivityState state, Picker picker) {
    conn.synchronizationContext().execute(() -> conn.updateState(state, picker));
  }

  /** Name {@value #NAME}; static switches make built balancers throw. */
  static final class Provider implements BalancerProvider {
    static final String NAME = "scripted";
    static final String CONFIG = "{\"loadBalancingConfig\": [{\"scripted\": {}}]}";
    static boolean throwOnUpdate;
    static boolean throwOnSubConnState;
    final List<ScriptedBalancer> built = new ArrayList<>();

    Provider() {
      throwOnUpdate = false;
      throwOnSubConnState = false;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Balancer newBalancer(BalancerConn conn) {
      ScriptedBalancer b = new ScriptedBalancer(conn);
      built.add(b);
      return b;
    }

    ScriptedBalancer last() {
      return built.get(built.size() - 1);
    }
  }
}
