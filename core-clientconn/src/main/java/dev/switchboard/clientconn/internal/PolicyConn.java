package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.spi.SubConnStateListener;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One balancer instance and its view of the channel (its {@link BalancerConn}): the provider lease
 * that keeps the balancer's provider in use until {@link #retire()}, the balancer's last published
 * state and picker (kept even while it is not the one serving, for a graceful switch), the SubConns
 * it created (shut down on retirement if it did not) and the child policies it looked up. Calls
 * from a retired or failed instance are ignored.
 *
 * <p>It reaches the channel directly: SubConns come from the {@link SubConnPool}, re-resolution and
 * wiring changes go through the {@link ChannelContext}, state and failures to the {@link
 * GracefulSwitch} that owns it. Serializer only.
 */
final class PolicyConn implements BalancerConn {
  private static final System.Logger LOG = System.getLogger(PolicyConn.class.getName());
  static final Picker QUEUE = Picker.of(PickResult.withNoResult());

  private final GracefulSwitch owner;
  private final ChannelContext ctx;
  private final SubConnPool subConnPool;
  private final Lease<BalancerProvider> lease;

  // Only touched in the serializer.
  ServiceConfig config;
  Balancer balancer;
  ConnectivityState state = ConnectivityState.CONNECTING;
  Picker picker = QUEUE;
  boolean failed;
  Status failure;
  boolean retired;
  private final Set<SubConnImpl> subConns = new HashSet<>();
  private final Map<String, Lease<BalancerProvider>> children = new LinkedHashMap<>();

  PolicyConn(
      GracefulSwitch owner,
      ChannelContext ctx,
      SubConnPool subConnPool,
      ServiceConfig config,
      Lease<BalancerProvider> lease) {
    this.owner = owner;
    this.ctx = ctx;
    this.subConnPool = subConnPool;
    this.config = config;
    this.lease = lease;
  }

  String name() {
    return config.policyName();
  }

  String origin() {
    return lease.registration().origin();
  }

  BalancerProvider provider() {
    return lease.provider();
  }

  /** Creates the balancer; false when the provider threw (the failure is recorded). */
  boolean build() {
    try {
      balancer = Objects.requireNonNull(lease.provider().newBalancer(this), "newBalancer");
      return true;
    } catch (RuntimeException | LinkageError e) {
      failed = true;
      failure = failureStatus(name(), "newBalancer", e);
      LOG.log(
          System.Logger.Level.ERROR,
          "balancing policy '" + name() + "' from " + origin() + " threw in newBalancer",
          e);
      return false;
    }
  }

  /** The UNAVAILABLE status of a balancing policy that threw in {@code where}. */
  static Status failureStatus(String policy, String where, Throwable e) {
    return Status.UNAVAILABLE
        .withDescription("balancing policy '" + policy + "' failed in " + where + ": " + e)
        .withCause(e);
  }

  /** Asks the balancer to leave IDLE, after the current task (never reentrantly). */
  void requestExitIdle() {
    ctx.syncContext().execute(new ExitIdle());
  }

  /** Closes the balancer, shuts down the SubConns it left, and releases the providers. */
  void retire() {
    if (retired) {
      return;
    }
    retired = true;
    if (balancer != null) {
      try {
        balancer.close();
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "balancing policy '" + name() + "' threw in close", e);
      }
    }
    for (SubConnImpl sc : List.copyOf(subConns)) {
      sc.shutdown();
    }
    subConns.clear();
    for (Lease<BalancerProvider> child : children.values()) {
      child.close();
    }
    children.clear();
    lease.close();
  }

  /** This instance in the channel's wiring. */
  ChannelWiring.Component describe(ChannelWiring.State wiringState, String detail) {
    ChannelWiring.Component.Builder b =
        ChannelWiring.Component.newBuilder(ChannelWiring.Role.BALANCER, name())
            .origin(origin())
            .state(wiringState)
            .reason(
                config.describe()
                    + "; "
                    + Reasons.ranking(ctx.balancerRegistry(), lease.registration()))
            .detail(detail);
    for (Map.Entry<String, Lease<BalancerProvider>> child : children.entrySet()) {
      b.addChild(
          ChannelWiring.Component.newBuilder(ChannelWiring.Role.BALANCER, child.getKey())
              .origin(child.getValue().registration().origin())
              .reason(
                  "child policy of "
                      + name()
                      + "; "
                      + Reasons.ranking(ctx.balancerRegistry(), child.getValue().registration()))
              .build());
    }
    return b.build();
  }

  @Override
  public SubConn newSubConn(List<Address> addresses, SubConnStateListener listener) {
    ctx.syncContext().throwIfNotInThisSynchronizationContext();
    Objects.requireNonNull(listener, "listener");
    SubConnImpl sc = subConnPool.newSubConn(addresses, (s, st) -> deliver(listener, s, st));
    if (retired) {
      sc.shutdown();
    } else {
      subConns.add(sc);
    }
    return sc;
  }

  private void deliver(SubConnStateListener listener, SubConn sc, SubConnState st) {
    if (st.state() == ConnectivityState.SHUTDOWN) {
      subConns.remove(sc);
    }
    if (retired || failed) {
      return;
    }
    try {
      listener.onSubConnState(sc, st);
    } catch (RuntimeException | LinkageError e) {
      owner.fail(this, "onSubConnState", e);
    }
  }

  @Override
  public void updateState(ConnectivityState newState, Picker newPicker) {
    ctx.syncContext().throwIfNotInThisSynchronizationContext();
    Objects.requireNonNull(newState, "state");
    Objects.requireNonNull(newPicker, "picker");
    if (!retired && !failed) {
      owner.onPolicyState(this, newState, newPicker);
    }
  }

  @Override
  public void resolveNow() {
    ctx.syncContext().throwIfNotInThisSynchronizationContext();
    if (!retired) {
      ctx.resolveNow();
    }
  }

  @Override
  public String target() {
    return ctx.target().original();
  }

  @Override
  public SynchronizationContext synchronizationContext() {
    return ctx.syncContext();
  }

  @Override
  public ScheduledExecutorService scheduledExecutor() {
    return ctx.env().timer();
  }

  @Override
  public BalancerRegistry balancerRegistry() {
    return ctx.balancerRegistry();
  }

  /** Leases the child policy's provider until this balancer retires, and lists it as a child. */
  @Override
  public BalancerProvider childPolicy(String name) {
    Objects.requireNonNull(name, "name");
    Lease<BalancerProvider> held = children.get(name);
    BalancerProvider winner = ctx.balancerRegistry().lookup(name);
    if (held != null && held.provider() == winner) {
      return winner;
    }
    if (retired) {
      return null;
    }
    Lease<BalancerProvider> fresh = ctx.balancerRegistry().acquire(name);
    if (held != null) {
      held.close(); // replaced: the balancer asked again, and gets the winner of now
      children.remove(name);
    }
    if (fresh == null) {
      ctx.wiringChanged();
      return null;
    }
    children.put(name, fresh);
    ctx.wiringChanged();
    return fresh.provider();
  }

  @Override
  public String toString() {
    return "PolicyConn{"
        + name()
        + " from "
        + origin()
        + ", "
        + state
        + (failed ? ", failed" : "")
        + (retired ? ", retired" : "")
        + "}";
  }

  /** Tells the balancer to leave IDLE, unless it was retired meanwhile. */
  private final class ExitIdle implements Runnable {
    @Override
    public void run() {
      if (owner.isClosed() || retired || failed || state != ConnectivityState.IDLE) {
        return;
      }
      try {
        balancer.exitIdle();
      } catch (RuntimeException | LinkageError e) {
        owner.fail(PolicyConn.this, "exitIdle", e);
      }
    }
  }
}
