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
 * A balancer-facing conn for balancer tests that records what the balancer does: SubConns created, state updates,
 * resolveNow requests. Its synchronization context is real; errors thrown in it are recorded for
 * the test to assert none.
 */
public final class FakeBalancerConn implements BalancerConn {
  public record StateUpdate(ConnectivityState state, Picker picker) {}

  public final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  public final SynchronizationContext syncContext =
      new SynchronizationContext((thread, error) -> uncaught.add(error));
  public final FakeClock clock = new FakeClock();
  public final List<FakeSubConn> subConns = new ArrayList<>();
  public final List<StateUpdate> updates = new ArrayList<>();
  public int resolveNowCount;

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

  /** Runs {@code task} in the synchronization context, on this thread. */
  public void run(Runnable task) {
    syncContext.execute(task);
  }

  /** Computes {@code task} in the synchronization context, on this thread. */
  public <T> T call(Supplier<T> task) {
    List<T> result = new ArrayList<>(1);
    syncContext.execute(() -> result.add(task.get()));
    if (result.isEmpty()) {
      throw new AssertionError("task failed in the synchronization context: " + uncaught);
    }
    return result.get(0);
  }

  public StateUpdate lastUpdate() {
    if (updates.isEmpty()) {
      throw new AssertionError("no state update published");
    }
    return updates.get(updates.size() - 1);
  }

  /** A SubConn whose state the test drives; records what the balancer asks of it. */
  public final class FakeSubConn implements SubConn {
    private final SubConnStateListener listener;
    public List<Address> addresses;
    public int connectCount;
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

    /** Reports {@code state} to the balancer, as the channel would, in the context. */
    public void deliver(SubConnState state) {
      syncContext.execute(() -> listener.onSubConnState(this, state));
    }

    @Override
    public String toString() {
      return "FakeSubConn" + addresses;
    }
  }
}
