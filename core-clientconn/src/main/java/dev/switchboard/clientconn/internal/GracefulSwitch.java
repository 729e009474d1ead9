package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The channel's balancers (grpc-go's {@code gracefulswitch} balancer): feeds the latest one the
 * resolver results, errors and exit-idle requests the {@link BalancerWrapper} passes on, and
 * switches policy gracefully when the service config asks for another policy or another provider of
 * it. Each balancer is a {@link PolicyConn}; the serving one's state and picker go up to the
 * balancer wrapper ({@link BalancerWrapper#updateBalancerState}).
 *
 * <h2>Graceful switch</h2>
 *
 * Two slots: {@code current}, whose picker serves calls, and {@code pending}, a new balancer that
 * receives the resolver's updates but whose state and picker are only recorded. The pending one
 * takes over ("swap") when it reports READY, or at once when the current one is not READY (at
 * switch time, or whenever it leaves READY later): there is nothing worth keeping then. A swap
 * publishes the new picker first and then retires the old balancer (close, shut down its SubConns,
 * release its provider lease), so a call that picked an old SubConn meanwhile either started its
 * stream before the old transport shut down gracefully, or picks again (see {@link StreamGate}). A
 * pending balancer reporting IDLE is told to exit idle, since the channel is not idle. A newer
 * switch replaces the pending one; switching back to the current one's policy and provider drops
 * it. grpc-go also swaps when the pending balancer leaves CONNECTING for TRANSIENT_FAILURE; we keep
 * the READY one serving instead.
 *
 * <h2>Failures</h2>
 *
 * Balancer exceptions never escape: the instance is marked failed; the balancer wrapper is told
 * ({@link BalancerWrapper#balancerFailed}: the channel then skips that provider in favour of the
 * next listed policy, or re-resolves with backoff to rebuild it); a failed pending balancer is
 * dropped; a failed current one is replaced by the pending one if any, else the channel goes
 * TRANSIENT_FAILURE with a picker failing UNAVAILABLE naming the policy.
 *
 * <p>All methods run in the serializer.
 */
final class GracefulSwitch {
  private static final System.Logger LOG = System.getLogger(GracefulSwitch.class.getName());

  private final BalancerWrapper owner;
  private final ChannelContext ctx;
  private final String targetString;
  private final SubConnPool subConnPool;

  // Only touched in the serializer.
  /** The balancer whose picker serves calls, or null. */
  private PolicyConn current;

  /** The balancer being switched to, or null. */
  private PolicyConn pending;

  private boolean closed;

  GracefulSwitch(BalancerWrapper owner, ChannelContext ctx, SubConnPool subConnPool) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.ctx = ctx;
    this.targetString = ctx.target().original();
    this.subConnPool = subConnPool;
  }

  /** The current policy's name, or {@code null}. */
  String policyName() {
    return current == null ? null : current.name();
  }

  /** The config of the balancer that gets resolver updates (pending, else current), or null. */
  ServiceConfig latestConfig() {
    PolicyConn latest = latest();
    return latest == null ? null : latest.config;
  }

  /** True when the latest balancer threw. */
  boolean latestFailed() {
    PolicyConn latest = latest();
    return latest != null && latest.failed;
  }

  /** True while a graceful switch is under way. */
  boolean isSwitching() {
    return pending != null;
  }

  /** True once the channel closed its balancers. */
  boolean isClosed() {
    return closed;
  }

  private PolicyConn latest() {
    return pending != null ? pending : current;
  }

  /** Remembers a re-parsed config of the latest balancer's own policy (new reason or source). */
  void refreshConfig(ServiceConfig config) {
    PolicyConn latest = latest();
    if (latest != null && config.samePolicyAs(latest.config)) {
      latest.config = config;
    }
  }

  /**
   * Gives the latest balancer new addresses and config, switching to a new balancer first when
   * {@code config} names another policy or provider (or the latest one failed). Returns the
   * balancer's verdict, or the failure of a balancer that threw.
   */
  Status updateClientConnState(ServiceConfig config, ClientConnState state) {
    ctx.syncContext().throwIfNotInThisSynchronizationContext();
    if (closed) {
      return Status.OK;
    }
    PolicyConn target = select(config);
    if (target == null) {
      return Status.UNAVAILABLE.withDescription(
          "balancing policy '"
              + config.policyName()
              + "' from "
              + config.registration().origin()
              + " was removed before it could be used");
    }
    if (target.failed) {
      return target.failure;
    }
    try {
      Status status = target.balancer.updateClientConnState(state);
      return status == null ? Status.OK : status;
    } catch (RuntimeException | LinkageError e) {
      return fail(target, "updateClientConnState", e);
    }
  }

  /** The resolver failed: tell the latest balancer, or fail picks when there is none. */
  void resolverError(Status error) {
    ctx.syncContext().throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    PolicyConn pc = latest();
    if (pc == null || pc.failed) {
      owner.updateBalancerState(
          ConnectivityState.TRANSIENT_FAILURE,
          Picker.of(PickResult.withError(error)),
          pc == null ? "none" : pc.name());
      return;
    }
    try {
      pc.balancer.resolverError(error);
    } catch (RuntimeException | LinkageError e) {
      fail(pc, "resolverError", e);
    }
  }

  /** The channel left IDLE (a call or connect()): let the balancers reconnect. */
  void exitIdle() {
    ctx.syncContext().throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    for (PolicyConn pc : new PolicyConn[] {current, pending}) {
      if (pc != null && !pc.failed && !pc.retired) {
        try {
          pc.balancer.exitIdle();
        } catch (RuntimeException | LinkageError e) {
          fail(pc, "exitIdle", e);
        }
      }
    }
  }

  void close() {
    ctx.syncContext().throwIfNotInThisSynchronizationContext();
    closed = true;
    if (pending != null) {
      pending.retire();
      pending = null;
    }
    if (current != null) {
      current.retire();
      current = null;
    }
  }

  /**
   * The balancers in the channel's wiring: the serving one, then the pending one.
   *
   * @param lostPolicy why no listed policy is deployed any more (the current one keeps serving), or
   *     null
   */
  List<ChannelWiring.Component> describe(Status lostPolicy) {
    List<ChannelWiring.Component> out = new ArrayList<>();
    if (current != null) {
      if (current.failed) {
        out.add(current.describe(ChannelWiring.State.FAILED, current.failure.getDescription()));
      } else if (lostPolicy != null && pending == null) {
        out.add(
            current.describe(
                ChannelWiring.State.LOST,
                lostPolicy.getDescription() + "; keeps serving until a listed policy is deployed"));
      } else {
        out.add(
            current.describe(
                ChannelWiring.State.ACTIVE,
                pending != null ? "serving until " + pending.name() + " is READY" : null));
      }
    }
    if (pending != null) {
      out.add(
          pending.describe(
              ChannelWiring.State.PENDING,
              pending.state
                  + "; takes over from "
                  + (current == null ? "nothing" : current.name())
                  + " once READY"));
    }
    return out;
  }

  /** The balancer for {@code config}: the latest one if it serves it, else a new one. */
  private PolicyConn select(ServiceConfig config) {
    PolicyConn latest = latest();
    if (latest != null && !latest.failed && config.samePolicyAs(latest.config)) {
      latest.config = config;
      return latest;
    }
    if (pending != null
        && current != null
        && !current.failed
        && config.samePolicyAs(current.config)) {
      LOG.log(
          System.Logger.Level.INFO,
          "{0}: switch to {1} abandoned; staying with {2}",
          targetString,
          pending.name(),
          current.name());
      PolicyConn dropped = pending;
      pending = null;
      dropped.retire();
      current.config = config;
      ctx.wiringChanged();
      return current;
    }
    Lease<BalancerProvider> lease = ctx.balancerRegistry().acquire(config.registration());
    if (lease == null) {
      return null; // deregistered since the config was parsed; the registry listener follows
    }
    PolicyConn pc = new PolicyConn(this, ctx, subConnPool, config, lease);
    if (!pc.build()) {
      pc.retire();
      if (current == null || current.failed) {
        publishFailure(pc);
      }
      owner.balancerFailed(config);
      ctx.wiringChanged();
      return pc;
    }
    install(pc);
    return pc;
  }

  /**
   * A registry changed: drops a pending balancer whose provider left, and hands over at once from a
   * current one whose provider left to the pending one, if any (see the class comment).
   */
  void retireDeparted() {
    ctx.syncContext().throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    if (pending != null && departed(pending)) {
      LOG.log(
          System.Logger.Level.INFO,
          "{0}: balancing policy {1} from {2} left before it took over",
          targetString,
          pending.name(),
          pending.origin());
      PolicyConn dropped = pending;
      pending = null;
      dropped.retire();
      ctx.wiringChanged();
    }
    if (pending != null && current != null && departed(current)) {
      swap();
    }
  }

  /**
   * Retires the current balancer when its provider left and there is nothing to switch to; returns
   * whether it did (the channel then has no balancer until a policy is deployed).
   */
  boolean retireDepartedCurrent() {
    if (closed || current == null || pending != null || !departed(current)) {
      return false;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "{0}: balancing policy {1} from {2} left and no listed policy is deployed; calls wait "
            + "for one",
        targetString,
        current.name(),
        current.origin());
    PolicyConn old = current;
    current = null;
    old.retire();
    ctx.wiringChanged();
    return true;
  }

  /** True when {@code pc}'s provider is no longer registered. */
  private boolean departed(PolicyConn pc) {
    BalancerProvider provider = pc.provider();
    for (Registration<BalancerProvider> r : ctx.balancerRegistry().registrations(pc.name())) {
      if (r.provider() == provider) {
        return false;
      }
    }
    return true;
  }

  /** Makes {@code pc} current at once when the current one is not worth keeping, else pending. */
  private void install(PolicyConn pc) {
    if (current == null
        || current.failed
        || current.state != ConnectivityState.READY
        || departed(current)) {
      PolicyConn oldCurrent = current;
      PolicyConn oldPending = pending;
      current = pc;
      pending = null;
      if (oldCurrent != null) {
        LOG.log(
            System.Logger.Level.INFO,
            "{0}: balancing policy {1} from {2} replaces {3} ({4}) " + "at once",
            targetString,
            pc.name(),
            pc.origin(),
            oldCurrent.name(),
            oldCurrent.failed ? "failed" : oldCurrent.state);
      }
      publish(pc);
      retire(oldPending);
      retire(oldCurrent);
    } else {
      retire(pending);
      pending = pc;
      LOG.log(
          System.Logger.Level.INFO,
          "{0}: switching gracefully from balancing policy {1} "
              + "({2}) to {3} ({4}); {1} serves until {3} is READY",
          targetString,
          current.name(),
          current.origin(),
          pc.name(),
          pc.origin());
      if (pc.state == ConnectivityState.READY) {
        swap();
      } else if (pc.state == ConnectivityState.IDLE) {
        pc.requestExitIdle();
      }
    }
    ctx.wiringChanged();
  }

  private static void retire(PolicyConn pc) {
    if (pc != null) {
      pc.retire();
    }
  }

  /** A balancer published a state and picker. */
  void onPolicyState(PolicyConn pc, ConnectivityState state, Picker picker) {
    pc.state = state;
    pc.picker = picker;
    if (closed) {
      return;
    }
    if (pc == current) {
      if (pending != null && state != ConnectivityState.READY) {
        swap(); // the current one stopped serving well: nothing left to wait for
        return;
      }
      owner.updateBalancerState(state, picker, pc.name());
    } else if (pc == pending) {
      if (state == ConnectivityState.READY
          || current.state != ConnectivityState.READY
          || departed(current)) {
        swap();
      } else {
        if (state == ConnectivityState.IDLE) {
          pc.requestExitIdle();
        }
        ctx.wiringChanged();
      }
    }
  }

  /** The pending balancer takes over: publish its picker, then retire the old one. */
  private void swap() {
    PolicyConn old = current;
    current = pending;
    pending = null;
    LOG.log(
        System.Logger.Level.INFO,
        "{0}: balancing policy {1} from {2} took over from {3} " + "({4})",
        targetString,
        current.name(),
        current.origin(),
        old.name(),
        old.origin());
    publish(current);
    old.retire();
    ctx.wiringChanged();
  }

  private void publish(PolicyConn pc) {
    owner.updateBalancerState(pc.state, pc.picker, pc.name());
    if (pc.state == ConnectivityState.IDLE) {
      pc.requestExitIdle();
    }
  }

  private void publishFailure(PolicyConn pc) {
    owner.updateBalancerState(
        ConnectivityState.TRANSIENT_FAILURE,
        Picker.of(PickResult.withError(pc.failure)),
        pc.name());
  }

  /** Isolates a balancer that threw; see the class comment. */
  Status fail(PolicyConn pc, String where, Throwable e) {
    if (pc.failed) {
      return pc.failure;
    }
    LOG.log(
        System.Logger.Level.ERROR,
        "balancing policy '" + pc.name() + "' from " + pc.origin() + " threw in " + where,
        e);
    Status status = PolicyConn.failureStatus(pc.name(), where, e);
    pc.failed = true;
    pc.failure = status;
    if (closed) {
      return status;
    }
    if (pc == pending) {
      pending = null;
    } else if (pc == current) {
      if (pending != null) {
        current = pending; // not READY yet, but the failed one cannot serve at all
        pending = null;
        publish(current);
      } else {
        publishFailure(pc); // stays current, failed, until something replaces it
      }
    }
    pc.retire();
    owner.balancerFailed(pc.config);
    ctx.wiringChanged();
    return status;
  }
}
