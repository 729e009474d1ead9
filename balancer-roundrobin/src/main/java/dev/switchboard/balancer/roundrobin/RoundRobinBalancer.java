package dev.switchboard.balancer.roundrobin;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.spi.SubConnStateListener;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code round_robin} policy for one channel: one SubConn per distinct socket address, kept
 * across address updates, and a picker that rotates over the READY ones.
 *
 * <p>Aggregate state: READY when any SubConn is READY; else CONNECTING while any is CONNECTING or
 * IDLE (picks wait); else TRANSIENT_FAILURE, failing picks with the most recent connection error.
 * As in grpc-go, a SubConn that failed counts as TRANSIENT_FAILURE until it is READY again, so
 * backends cycling through backoff do not hold the channel in CONNECTING forever. A SubConn that
 * goes IDLE (lost connection, or the end of a backoff) reconnects at once; IDLE and
 * TRANSIENT_FAILURE reports also ask the resolver to resolve again.
 *
 * <p>Threading: every method runs in the channel's synchronization context (checked on entry);
 * pickers are immutable snapshots with an atomic cursor.
 */
final class RoundRobinBalancer implements Balancer {
  private static final Picker NO_RESULT_PICKER = Picker.of(PickResult.withNoResult());

  private final BalancerConn conn;
  private final SynchronizationContext syncContext;

  // Only touched in the synchronization context.
  /** Our SubConns by socket address, in the order they were first resolved. */
  private final Map<SocketAddress, TrackedSubConn> subConns = new LinkedHashMap<>();

  /** The state last published, or {@code null} before the first publication. */
  private ConnectivityState state;

  /** The READY SubConns of the picker last published in READY; empty otherwise. */
  private List<SubConn> readyPublished = List.of();

  /** The most recent connection error of any of our SubConns, or {@code null}. */
  private Status lastConnectionError;

  /** The resolver's error since its last good update, or {@code null}. */
  private Status resolverError;

  private boolean closed;

  RoundRobinBalancer(BalancerConn conn) {
    this.conn = Objects.requireNonNull(conn, "conn");
    this.syncContext =
        Objects.requireNonNull(conn.synchronizationContext(), "synchronizationContext");
  }

  @Override
  public Status updateClientConnState(ClientConnState clientConnState) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed) {
      return Status.OK;
    }
    if (clientConnState.addresses().isEmpty()) {
      Status error =
          Status.UNAVAILABLE.withDescription(
              "name resolver returned no addresses for " + conn.target());
      resolverError(error);
      return error;
    }
    resolverError = null;

    Map<SocketAddress, Address> wanted = new LinkedHashMap<>();
    for (Address address : clientConnState.addresses()) {
      wanted.putIfAbsent(address.socketAddress(), address); // the first of duplicates wins
    }
    for (Iterator<TrackedSubConn> it = subConns.values().iterator(); it.hasNext(); ) {
      TrackedSubConn tracked = it.next();
      if (!wanted.containsKey(tracked.address.socketAddress())) {
        it.remove();
        tracked.subConn.shutdown();
      }
    }
    List<TrackedSubConn> added = new ArrayList<>();
    for (Address address : wanted.values()) {
      TrackedSubConn tracked = subConns.get(address.socketAddress());
      if (tracked == null) {
        tracked = new TrackedSubConn(address);
        tracked.subConn = conn.newSubConn(List.of(address), tracked);
        subConns.put(address.socketAddress(), tracked);
        added.add(tracked);
      } else if (!tracked.address.equals(address)) {
        // Same socket address, new attributes or authority: keep the connection.
        tracked.address = address;
        tracked.subConn.updateAddresses(List.of(address));
      }
    }
    updateBalancingState();
    for (TrackedSubConn tracked : added) {
      tracked.subConn.connect();
    }
    return Status.OK;
  }

  @Override
  public void resolverError(Status error) {
    syncContext.throwIfNotInThisSynchronizationContext();
    Objects.requireNonNull(error, "error");
    if (closed) {
      return;
    }
    resolverError = error;
    // Working SubConns keep serving; only a balancer with nothing better fails picks with it.
    if (subConns.isEmpty() || state == ConnectivityState.TRANSIENT_FAILURE) {
      updateBalancingState();
    }
  }

  @Override
  public void exitIdle() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    for (TrackedSubConn tracked : subConns.values()) {
      if (tracked.reportedState == ConnectivityState.IDLE) {
        tracked.subConn.connect();
      }
    }
  }

  @Override
  public void close() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    closed = true;
    for (TrackedSubConn tracked : subConns.values()) {
      tracked.subConn.shutdown();
    }
    subConns.clear();
  }

  private void handleSubConnState(TrackedSubConn tracked, SubConnState subConnState) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed || subConns.get(tracked.address.socketAddress()) != tracked) {
      return; // a late report from a SubConn we shut down
    }
    ConnectivityState newState = subConnState.state();
    if (newState == ConnectivityState.SHUTDOWN) {
      return; // only ever after our own shutdown(), which already forgot it
    }
    tracked.reportedState = newState;
    if (newState == ConnectivityState.IDLE) {
      tracked.subConn.connect();
    }
    if (newState == ConnectivityState.IDLE || newState == ConnectivityState.TRANSIENT_FAILURE) {
      conn.resolveNow();
    }
    if (newState == ConnectivityState.TRANSIENT_FAILURE) {
      lastConnectionError = subConnState.connectionError();
    }
    if (tracked.effectiveState == ConnectivityState.TRANSIENT_FAILURE
        && (newState == ConnectivityState.CONNECTING || newState == ConnectivityState.IDLE)) {
      return; // sticky TRANSIENT_FAILURE until READY
    }
    tracked.effectiveState = newState;
    updateBalancingState();
  }

  private void updateBalancingState() {
    List<SubConn> ready = new ArrayList<>();
    boolean connecting = false;
    for (TrackedSubConn tracked : subConns.values()) {
      switch (tracked.effectiveState) {
        case READY -> ready.add(tracked.subConn);
        case CONNECTING, IDLE -> connecting = true;
        default -> {}
      }
    }
    if (!ready.isEmpty()) {
      if (state != ConnectivityState.READY || !ready.equals(readyPublished)) {
        readyPublished = List.copyOf(ready);
        int start = ThreadLocalRandom.current().nextInt(ready.size());
        publish(ConnectivityState.READY, new ReadyPicker(readyPublished, start));
      }
      return;
    }
    readyPublished = List.of();
    if (connecting) {
      if (state != ConnectivityState.CONNECTING) {
        publish(ConnectivityState.CONNECTING, NO_RESULT_PICKER);
      }
      return;
    }
    publish(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(failure())));
  }

  /** Why picks fail when nothing is READY or connecting. */
  private Status failure() {
    if (lastConnectionError == null || subConns.isEmpty()) {
      return resolverError != null
          ? resolverError
          : Status.UNAVAILABLE.withDescription("round_robin has no addresses");
    }
    return resolverError == null
        ? lastConnectionError
        : lastConnectionError.augmentDescription(
            "resolver error: " + resolverError.getDescription());
  }

  private void publish(ConnectivityState newState, Picker picker) {
    state = newState;
    conn.updateState(newState, picker);
  }

  /** One SubConn with what the balancer knows about it; also its state listener. */
  private final class TrackedSubConn implements SubConnStateListener {
    SubConn subConn; // set right after creation, before any report can arrive
    Address address;

    /** The state the SubConn last reported; SubConns start IDLE. */
    ConnectivityState reportedState = ConnectivityState.IDLE;

    /** The state used for aggregation: the reported one, but TRANSIENT_FAILURE sticks to READY. */
    ConnectivityState effectiveState = ConnectivityState.IDLE;

    TrackedSubConn(Address address) {
      this.address = address;
    }

    @Override
    public void onSubConnState(SubConn changed, SubConnState subConnState) {
      handleSubConnState(this, subConnState);
    }
  }
}
