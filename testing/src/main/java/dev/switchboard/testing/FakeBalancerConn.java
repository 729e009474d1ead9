package dev.switchboard.testing;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.spi.SubConnStateListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * A balancer-facing conn for balancer tests that records what the balancer does: SubConns created,
 * state updates, resolveNow requests. Its synchronization context is real; errors thrown in it are
 * recorded for the test to assert none.
 */
public final class FakeBalancerConn implements BalancerConn {
  /**
   * One {@link #updateState} call.
   *
   * @param state the state published
   * @param picker the picker published
   */
  public record StateUpdate(ConnectivityState state, Picker picker) {}

  /** Exceptions thrown by tasks in the synchronization context; assert it stays empty. */
  public final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

  /** The real synchronization context the balancer runs in; its errors go to {@link #uncaught}. */
  public final SynchronizationContext syncContext =
      new SynchronizationContext((thread, error) -> uncaught.add(error));

  /** Fake time behind {@link #scheduledExecutor()}. */
  public final FakeClock clock = new FakeClock();

  /** The SubConns the balancer created, oldest first; touch in the context. */
  public final List<FakeSubConn> subConns = new ArrayList<>();

  /** Every state published by the balancer, oldest first; touch in the context. */
  public final List<StateUpdate> updates = new ArrayList<>();

  /** How many times the balancer asked to resolve again. */
  public int resolveNowCount;

  /** Creates a conn with no SubConn, no update and a clock at 0. */
  public FakeBalancerConn() {}

  @Override
  public SubConn newSubConn(List<Address> addresses, SubConnStateListener listener) {
    syncContext.throwIfNotInThisSynchronizationContext();
    FakeSubConn subConn = new FakeSubConn(addresses, listener);
    subConns.add(subConn);
    return subConn;
  }

  @Override
  public void updateState(ConnectivityState state, Picker picker) {
    syncContext.throwIfNotInThisSynchronizationContext();
    updates.add(new StateUpdate(state, picker));
  }

  @Override
  public void resolveNow() {
    syncContext.throwIfNotInThisSynchronizationContext();
    resolveNowCount++;
  }

  @Override
  public String target() {
    return "fake:///backends";
  }

  @Override
  public SynchronizationContext synchronizationContext() {
    return syncContext;
  }

  @Override
  public ScheduledExecutorService scheduledExecutor() {
    return clock.scheduledExecutor();
  }

  @Override
  public BalancerRegistry balancerRegistry() {
    return new BalancerRegistry();
  }

  /**
   * Runs {@code task} in the synchronization context, on this thread.
   *
   * @param task what to run, such as a call into the balancer
   */
  public void run(Runnable task) {
    syncContext.execute(task);
  }

  /**
   * Computes {@code task} in the synchronization context, on this thread.
   *
   * @param task what to compute
   * @param <T> the result type
   * @return the task's result
   * @throws AssertionError when the task threw (it is then also in {@link #uncaught})
   */
  public <T> T call(Supplier<T> task) {
    List<T> result = new ArrayList<>(1);
    syncContext.execute(() -> result.add(task.get()));
    if (result.isEmpty()) {
      throw new AssertionError("task failed in the synchronization context: " + uncaught);
    }
    return result.get(0);
  }

  /**
   * {@return the last state the balancer published}
   *
   * @throws AssertionError when it published none
   */
  public StateUpdate lastUpdate() {
    if (updates.isEmpty()) {
      throw new AssertionError("no state update published");
    }
    return updates.get(updates.size() - 1);
  }

  /** A SubConn whose state the test drives; records what the balancer asks of it. */
  public final class FakeSubConn implements SubConn {
    private final SubConnStateListener listener;

    /** The current addresses, as created or last updated. */
    public List<Address> addresses;

    /** How many times the balancer called {@link #connect()}. */
    public int connectCount;

    /** Whether the balancer shut it down. */
    public boolean shutdown;

    FakeSubConn(List<Address> addresses, SubConnStateListener listener) {
      this.addresses = List.copyOf(addresses);
      this.listener = listener;
    }

    @Override
    public void connect() {
      syncContext.throwIfNotInThisSynchronizationContext();
      connectCount++;
    }

    @Override
    public void shutdown() {
      syncContext.throwIfNotInThisSynchronizationContext();
      shutdown = true;
    }

    @Override
    public void updateAddresses(List<Address> addresses) {
      syncContext.throwIfNotInThisSynchronizationContext();
      this.addresses = List.copyOf(addresses);
    }

    @Override
    public List<Address> addresses() {
      return addresses;
    }

    /**
     * Reports {@code state} to the balancer, as the channel would, in the context.
     *
     * @param state the new state
     */
    public void deliver(SubConnState state) {
      syncContext.execute(() -> listener.onSubConnState(this, state));
    }

    @Override
    public String toString() {
      return "FakeSubConn" + addresses;
    }
  }
}
