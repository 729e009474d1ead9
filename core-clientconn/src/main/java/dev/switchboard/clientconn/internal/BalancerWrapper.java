package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.spi.SubConnStateListener;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Owns the channel's balancer (grpc-go's {@code ccBalancerWrapper}): feeds it resolver results,
 * errors and exit-idle requests, and switches policy when the service config names another one.
 *
 * <p>Each balancer instance talks to the channel through its own {@link PolicyConn}, so calls from
 * a balancer that has been replaced are recognized and ignored; that is also the seam where a
 * graceful switch (keep the old policy until the new one is READY) will go. Today a switch closes
 * the old balancer, shuts down the SubConns it left behind, and builds the new one.
 *
 * <p>Balancer exceptions never escape: the policy is marked failed, the channel goes
 * TRANSIENT_FAILURE with a picker failing UNAVAILABLE naming the policy, re-resolution is
 * scheduled with backoff, and the next resolver update builds a fresh balancer. All methods run in
 * the serializer.
 */
final class BalancerWrapper {
  private static final System.Logger LOG = System.getLogger(BalancerWrapper.class.getName());

  /** What balancers reach through their {@link BalancerConn}; called in the serializer. */
  interface Host {
    void updateBalancerState(ConnectivityState state, Picker picker, String policyName);

    SubConnImpl newSubConn(List<Address> addresses, SubConnStateListener listener);

    void resolveNow();

    /** A balancer threw: re-resolve after a backoff so that it gets rebuilt. */
    void balancerFailed();

    String target();

    SynchronizationContext syncContext();

    ScheduledExecutorService timer();

    BalancerRegistry balancerRegistry();
  }

  private final Host host;
  // Only touched in the serializer.
  private PolicyConn current;
  private boolean closed;

  BalancerWrapper(Host host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  /** The current policy's name, or {@code null}. */
  String policyName() {
    return current == null ? null : current.config.policyName();
  }

  /** Gives the balancer new addresses and config, switching policy first if needed. */
  Status updateClientConnState(ServiceConfig config, ClientConnState state) {
    host.syncContext().throwIfNotInThisSynchronizationContext();
    if (closed) {
      return Status.OK;
    }
    if (current == null || current.failed || !config.samePolicyAs(current.config)) {
      switchTo(config);
    }
    PolicyConn pc = current;
    if (pc.failed) {
      return pc.failure;
    }
    try {
      Status status = pc.balancer.updateClientConnState(state);
      return status == null ? Status.OK : status;
    } catch (RuntimeException e) {
      return fail(pc, "updateClientConnState", e);
    }
  }

  /** The resolver failed: tell the balancer, or fail picks when there is none. */
  void resolverError(Status error) {
    host.syncContext().throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    PolicyConn pc = current;
    if (pc == null || pc.failed) {
      host.updateBalancerState(ConnectivityState.TRANSIENT_FAILURE,
          Picker.of(PickResult.withError(error)), pc == null ? "none" : pc.config.policyName());
      return;
    }
    try {
      pc.balancer.resolverError(error);
    } catch (RuntimeException e) {
      fail(pc, "resolverError", e);
    }
  }

  /** The channel left IDLE (a call or connect()): let the balancer reconnect. */
  void exitIdle() {
    host.syncContext().throwIfNotInThisSynchronizationContext();
    PolicyConn pc = current;
    if (closed || pc == null || pc.failed) {
      return;
    }
    try {
      pc.balancer.exitIdle();
    } catch (RuntimeException e) {
      fail(pc, "exitIdle", e);
    }
  }

  void close() {
    host.syncContext().throwIfNotInThisSynchronizationContext();
    closed = true;
    if (current != null) {
      current.retire();
      current = null;
    }
  }

  private void switchTo(ServiceConfig config) {
    if (current != null) {
      LOG.log(System.Logger.Level.DEBUG, "switching balancing policy from {0} to {1}",
          current.config.policyName(), config.policyName());
      current.retire();
    }
    PolicyConn pc = new PolicyConn(config);
    current = pc;
    try {
      pc.balancer = Objects.requireNonNull(config.provider().newBalancer(pc), "newBalancer");
    } catch (RuntimeException e) {
      fail(pc, "newBalancer", e);
    }
  }

  private Status fail(PolicyConn pc, String where, RuntimeException e) {
    String name = pc.config.policyName();
    LOG.log(System.Logger.Level.ERROR, "balancing policy '" + name + "' threw in " + where, e);
    Status status = Status.UNAVAILABLE
        .withDescription("balancing policy '" + name + "' failed in " + where + ": " + e)
        .withCause(e);
    pc.failed = true;
    pc.failure = status;
    if (pc == current && !closed) {
      host.updateBalancerState(
          ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(status)), name);
      host.balancerFailed();
    }
    return status;
  }

  /** One balancer instance's view of the channel. */
  private final class PolicyConn implements BalancerConn {
    final ServiceConfig config;
    Balancer balancer;
    // Only touched in the serializer.
    boolean failed;
    Status failure;
    boolean retired;
    final Set<SubConnImpl> subConns = new HashSet<>();

    PolicyConn(ServiceConfig config) {
      this.config = config;
    }

    /** Closes the balancer and shuts down whatever SubConns it did not. */
    void retire() {
      retired = true;
      if (balancer != null) {
        try {
          balancer.close();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING,
              "balancing policy '" + config.policyName() + "' threw in close", e);
        }
      }
      for (SubConnImpl sc : List.copyOf(subConns)) {
        sc.shutdown();
      }
      subConns.clear();
    }

    @Override
    public SubConn newSubConn(List<Address> addresses, SubConnStateListener listener) {
      host.syncContext().throwIfNotInThisSynchronizationContext();
      Objects.requireNonNull(listener, "listener");
      SubConnImpl sc = host.newSubConn(addresses, (s, state) -> deliver(listener, s, state));
      if (retired) {
        sc.shutdown();
      } else {
        subConns.add(sc);
      }
      return sc;
    }

    private void deliver(SubConnStateListener listener, SubConn sc, SubConnState state) {
      if (state.state() == ConnectivityState.SHUTDOWN) {
        subConns.remove(sc);
      }
      if (retired || failed) {
        return;
      }
      try {
        listener.onSubConnState(sc, state);
      } catch (RuntimeException e) {
        fail(this, "onSubConnState", e);
      }
    }

    @Override
    public void updateState(ConnectivityState state, Picker picker) {
      host.syncContext().throwIfNotInThisSynchronizationContext();
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(picker, "picker");
      if (!retired && !failed) {
        host.updateBalancerState(state, picker, config.policyName());
      }
    }

    @Override
    public void resolveNow() {
      host.syncContext().throwIfNotInThisSynchronizationContext();
      if (!retired) {
        host.resolveNow();
      }
    }

    @Override
    public String target() {
      return host.target();
    }

    @Override
    public SynchronizationContext synchronizationContext() {
      return host.syncContext();
    }

    @Override
    public ScheduledExecutorService scheduledExecutor() {
      return host.timer();
    }

    @Override
    public BalancerRegistry balancerRegistry() {
      return host.balancerRegistry();
    }
  }
}
