package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.ProviderRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A channel's lifecycle: leaving and entering IDLE, graceful and immediate shutdown, termination
 * (grpc-java's idle mode and {@code shutdown}/{@code shutdownNow}). The {@link ClientConnImpl}
 * creates it over its parts and forwards its lifecycle methods here.
 *
 * <h2>IDLE and back</h2>
 *
 * The channel starts idle: no resolver, no balancer, no connection, state IDLE. {@link ExitIdle} (a
 * call's attempt, {@code connect()}, {@code getState(true)}) creates a resolver and a balancer side
 * (new instances each time), goes CONNECTING and arms the {@link IdleTimer}; once the channel is
 * out of idle, the same task only asks an IDLE balancer to reconnect. {@link EnterIdle} (the timer,
 * after a timeout without calls, or {@code enterIdle()}) goes back: it marks the channel idle,
 * closes resolver and balancers (their SubConns shut down gracefully, so calls running on them
 * finish), resets the picker (calls queue) and goes IDLE. A call that queued meanwhile wakes the
 * channel again at once: it checks after queueing, the task checks the queue after resetting the
 * picker (see {@link PickerWrapper}). The transport factory and the registry listeners stay.
 *
 * <h2>Shutdown</h2>
 *
 * {@link #shutdown()} refuses new calls (UNAVAILABLE {@link #SHUT_DOWN}) and goes SHUTDOWN, but the
 * resolver and balancer keep serving the calls already started, queued ones included (an idle
 * channel with such a call still wakes for it), and the idle timer stops. When the last call ends
 * ({@link ChannelContext#callsDrained()}), the channel closes resolver and balancer and shuts its
 * SubConns down gracefully. {@link #shutdownNow()} cancels every call with CANCELLED {@link
 * #CLOSING}, refuses new ones the same way, and closes resolver, balancer and every transport at
 * once, also after a graceful shutdown. The channel terminates once shut down with every call ended
 * and every SubConn terminated: it then closes the transport factory.
 *
 * <p>Threads: the public entry points run on any thread and post their work into the serializer;
 * everything else runs there. {@link #exitIdleIfNeeded()} is on the call path: two volatile reads.
 */
final class ChannelLifecycle {
  private static final System.Logger LOG = System.getLogger(ChannelLifecycle.class.getName());

  /** Why calls are cancelled, or refused, after {@code shutdownNow()}. */
  static final Status CLOSING = Status.CANCELLED.withDescription("channel is closing");

  /** Why new calls are refused after a graceful {@code shutdown()}. */
  static final Status SHUT_DOWN = Status.UNAVAILABLE.withDescription("channel is shut down");

  private final ChannelContext ctx;
  private final SynchronizationContext syncContext;
  private final ConnectivityStateManager stateManager;
  private final PickerWrapper pickerWrapper;
  private final SubConnPool subConnPool;
  private final BalancerWrapper balancerWrapper;
  private final ResolverWrapper resolverWrapper;
  private final ChannelCalls calls;
  private final IdleTimer idleTimer;
  private final ProviderRegistry.Listener registryListener;
  private final ExitIdle exitIdle = new ExitIdle();
  private final AtomicBoolean shutdownCalled = new AtomicBoolean();
  private final AtomicBoolean shutdownNowCalled = new AtomicBoolean();
  private final CountDownLatch terminatedLatch = new CountDownLatch(1);
  private volatile boolean terminated;

  /** No resolver and balancer run: the channel is IDLE, or shut down from IDLE. */
  private volatile boolean idle = true;

  // Only touched in the serializer.
  private boolean listening;

  /** A graceful shutdown waits for the calls to end. */
  private boolean draining;

  /** {@link #closeParts} is under way: termination waits for its end. */
  private boolean closingParts;

  ChannelLifecycle(
      ChannelContext ctx,
      ConnectivityStateManager stateManager,
      PickerWrapper pickerWrapper,
      SubConnPool subConnPool,
      BalancerWrapper balancerWrapper,
      ResolverWrapper resolverWrapper,
      ChannelCalls calls,
      IdleTimer idleTimer) {
    this.ctx = ctx;
    this.syncContext = ctx.syncContext();
    this.stateManager = stateManager;
    this.pickerWrapper = pickerWrapper;
    this.subConnPool = subConnPool;
    this.balancerWrapper = balancerWrapper;
    this.resolverWrapper = resolverWrapper;
    this.calls = calls;
    this.idleTimer = idleTimer;
    this.registryListener = names -> syncContext.execute(new ProvidersChanged());
  }

  // Entry points: any thread.

  /** Leaves IDLE, or wakes an IDLE balancer; nothing once shut down. */
  void connect() {
    if (!shutdownCalled.get()) {
      syncContext.execute(exitIdle);
    }
  }

  /** A call attempt is about to pick, or has queued: leave IDLE if the channel is idle. */
  void exitIdleIfNeeded() {
    if (stateManager.state() == ConnectivityState.IDLE || idle) {
      syncContext.execute(exitIdle);
    }
  }

  void enterIdle() {
    syncContext.execute(new EnterIdle());
  }

  void resetConnectBackoff() {
    syncContext.execute(new ResetConnectBackoff());
  }

  /** Starts a graceful shutdown; false when the channel was shut down already. */
  boolean shutdown() {
    if (!shutdownCalled.compareAndSet(false, true)) {
      return false;
    }
    calls.refuse(SHUT_DOWN);
    syncContext.execute(new GracefulShutdown());
    return true;
  }

  /** Cancels every call and closes everything now; false when called before. */
  boolean shutdownNow() {
    if (!shutdownNowCalled.compareAndSet(false, true)) {
      return false;
    }
    shutdownCalled.set(true);
    calls.refuse(CLOSING);
    calls.cancelAll(CLOSING);
    syncContext.execute(new ShutdownNow());
    return true;
  }

  boolean isShutdown() {
    return shutdownCalled.get();
  }

  boolean isTerminated() {
    return terminated;
  }

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminatedLatch.await(timeout, unit);
  }

  /** Whether the resolver and balancer are closed because the channel is idle; for tests. */
  boolean isIdle() {
    return idle;
  }

  /** Whether the idle timer is armed; for tests. Serializer only. */
  boolean idleTimerArmed() {
    return idleTimer.isArmed();
  }

  // Serializer only.

  /** The idle timeout passed without calls. */
  void idleTimeoutElapsed() {
    new EnterIdle().run();
  }

  /**
   * Finishes a graceful shutdown once no call is left, and terminates once shut down with every
   * SubConn terminated and every call closed.
   */
  void maybeTerminate() {
    if (closingParts) {
      return;
    }
    if (draining && !shutdownNowCalled.get() && !ctx.isShutdown() && !calls.hasCalls()) {
      closeParts(null); // graceful; a pending shutdownNow() closes everything at once instead
      return;
    }
    if (!ctx.isShutdown() || terminated || !subConnPool.allTerminated() || calls.hasCalls()) {
      return;
    }
    subConnPool.closeFactory();
    terminated = true;
    terminatedLatch.countDown();
    ctx.wiringChanged();
    LOG.log(System.Logger.Level.DEBUG, "channel to {0} terminated", ctx.target().original());
  }

  /**
   * Stops resolution and balancing (once) and shuts the SubConns down: gracefully ({@code now}
   * null), else closing their transports now, before the balancers could retire them gracefully.
   * Terminates, if it can, only once everything is closed.
   */
  private void closeParts(Status now) {
    boolean first = !ctx.isShutdown();
    closingParts = true;
    if (first) {
      ctx.startShutdown();
      idleTimer.stop();
      stateManager.gotoState(ConnectivityState.SHUTDOWN);
      pickerWrapper.shutdown(now != null ? now : SHUT_DOWN);
      if (listening) {
        ctx.resolverRegistry().removeListener(registryListener);
        ctx.balancerRegistry().removeListener(registryListener);
        ctx.transportRegistry().removeListener(registryListener);
      }
    }
    subConnPool.shutdown(now);
    if (first) {
      resolverWrapper.close();
      balancerWrapper.close();
      ctx.wiringChanged();
    }
    closingParts = false;
    maybeTerminate();
  }

  /** Leaves idle: a new resolver and balancer; else wakes an IDLE balancer. */
  private final class ExitIdle implements Runnable {
    @Override
    public void run() {
      if (ctx.isShutdown()) {
        return;
      }
      if (!idle) {
        balancerWrapper.exitIdle();
        return;
      }
      if (draining && !calls.hasCalls()) {
        return; // shut down from idle: nothing to serve
      }
      idle = false;
      stateManager.gotoState(ConnectivityState.CONNECTING); // stays SHUTDOWN when draining
      balancerWrapper.start();
      if (!listening) {
        listening = true;
        ctx.resolverRegistry().addListener(registryListener);
        ctx.balancerRegistry().addListener(registryListener);
        ctx.transportRegistry().addListener(registryListener);
      }
      resolverWrapper.start();
      if (!draining) {
        idleTimer.start();
      }
      ctx.wiringChanged();
    }
  }

  /** Goes IDLE: resolver and balancer closed, connections closing gracefully. */
  private final class EnterIdle implements Runnable {
    @Override
    public void run() {
      if (ctx.isShutdown() || draining || idle) {
        return;
      }
      idle = true; // first: a call queueing from now on wakes the channel
      idleTimer.stop();
      resolverWrapper.enterIdle();
      balancerWrapper.enterIdle();
      pickerWrapper.resetPicker();
      stateManager.gotoState(ConnectivityState.IDLE);
      ctx.wiringChanged();
      LOG.log(System.Logger.Level.DEBUG, "channel to {0} is idle", ctx.target().original());
      if (pickerWrapper.queuedCount() > 0) {
        exitIdle.run(); // a call queued with the old or the empty picker: serve it
      }
    }
  }

  /** The application reset the connection backoff. */
  private final class ResetConnectBackoff implements Runnable {
    @Override
    public void run() {
      if (ctx.isShutdown() || idle) {
        return;
      }
      subConnPool.resetConnectBackoff();
      resolverWrapper.resetBackoff();
    }
  }

  /** A registry changed: follow resolver, policy and transport providers. */
  private final class ProvidersChanged implements Runnable {
    @Override
    public void run() {
      if (ctx.isShutdown() || !listening) {
        return;
      }
      // While idle, only the transport's part acts: there is no resolver or balancer to follow.
      balancerWrapper.forgetDepartedPolicies();
      resolverWrapper.followProvider();
      subConnPool.providersChanged();
      balancerWrapper.update(false);
      ctx.wiringChanged();
    }
  }

  /** Refuses new calls (done already) and waits for the others to end. */
  private final class GracefulShutdown implements Runnable {
    @Override
    public void run() {
      if (ctx.isShutdown()) {
        return;
      }
      draining = true;
      idleTimer.stop();
      stateManager.gotoState(ConnectivityState.SHUTDOWN);
      ctx.wiringChanged();
      maybeTerminate();
    }
  }

  /** Stops resolution and balancing and closes every connection now. */
  private final class ShutdownNow implements Runnable {
    @Override
    public void run() {
      draining = false;
      closeParts(CLOSING);
    }
  }
}
