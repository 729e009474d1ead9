package dev.switchboard.balancer.pickfirst;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.PickInfo;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The {@code pick_first} policy for one channel: a single SubConn over the whole address list (the
 * SubConn tries the addresses in order), and a picker that sends every call to it.
 *
 * <p>State mapping, after grpc-go: SubConn CONNECTING → channel CONNECTING (picks wait); READY →
 * READY (picks get the SubConn); TRANSIENT_FAILURE → TRANSIENT_FAILURE with the connection error,
 * sticky until the next READY, so the CONNECTING and IDLE of later backoff rounds do not flip the
 * channel back (gRFC A62); IDLE after a lost connection → IDLE with a picker whose first pick asks
 * the SubConn to reconnect. IDLE and TRANSIENT_FAILURE also ask the resolver to resolve again.
 *
 * <p>Threading: every method runs in the channel's synchronization context (checked on entry); the
 * pickers it publishes are immutable and may be called from any thread.
 */
final class PickFirstBalancer implements Balancer {
  private static final Picker NO_RESULT_PICKER = Picker.of(PickResult.withNoResult());

  private final BalancerConn conn;
  private final SynchronizationContext syncContext;
  private final Supplier<? extends Random> random;

  // Only touched in the synchronization context.
  private SubConn subConn;

  /** The state last published to the channel; IDLE until the first publication. */
  private ConnectivityState state = ConnectivityState.IDLE;

  private boolean closed;

  PickFirstBalancer(BalancerConn conn, Supplier<? extends Random> random) {
    this.conn = Objects.requireNonNull(conn, "conn");
    this.syncContext =
        Objects.requireNonNull(conn.synchronizationContext(), "synchronizationContext");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public Status updateClientConnState(ClientConnState clientConnState) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed) {
      return Status.OK;
    }
    List<Address> addresses = clientConnState.addresses();
    if (addresses.isEmpty()) {
      Status error =
          Status.UNAVAILABLE.withDescription(
              "name resolver returned no addresses for " + conn.target());
      resolverError(error);
      return error;
    }
    if (configOf(clientConnState.balancerConfig()).shuffleAddressList()) {
      List<Address> shuffled = new ArrayList<>(addresses);
      Collections.shuffle(shuffled, random.get());
      addresses = List.copyOf(shuffled);
    }
    if (subConn != null) {
      // The SubConn keeps its connection if its current address is still listed.
      subConn.updateAddresses(addresses);
      return Status.OK;
    }
    subConn = conn.newSubConn(addresses, this::handleSubConnState);
    publish(ConnectivityState.CONNECTING, NO_RESULT_PICKER);
    subConn.connect();
    return Status.OK;
  }

  @Override
  public void resolverError(Status error) {
    syncContext.throwIfNotInThisSynchronizationContext();
    Objects.requireNonNull(error, "error");
    if (closed) {
      return;
    }
    // With a SubConn that is connecting or connected, its state says more than the resolver.
    if (subConn == null || state == ConnectivityState.TRANSIENT_FAILURE) {
      publish(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(error)));
    }
  }

  @Override
  public void exitIdle() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (!closed && subConn != null && state == ConnectivityState.IDLE) {
      subConn.connect();
    }
  }

  @Override
  public void close() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    closed = true;
    if (subConn != null) {
      subConn.shutdown();
      subConn = null;
    }
  }

  private void handleSubConnState(SubConn changed, SubConnState subConnState) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed || changed != subConn) {
      return; // a late report from a SubConn we no longer own
    }
    switch (subConnState.state()) {
      case READY -> publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(changed)));
      case CONNECTING -> {
        if (state != ConnectivityState.TRANSIENT_FAILURE) {
          publish(ConnectivityState.CONNECTING, NO_RESULT_PICKER);
        }
      }
      case IDLE -> {
        conn.resolveNow();
        if (state == ConnectivityState.TRANSIENT_FAILURE) {
          // Stay in TRANSIENT_FAILURE, but keep trying: the backoff ended with the SubConn idle.
          changed.connect();
        } else {
          publish(ConnectivityState.IDLE, new RequestConnectionPicker(this, changed));
        }
      }
      case TRANSIENT_FAILURE -> {
        conn.resolveNow();
        publish(
            ConnectivityState.TRANSIENT_FAILURE,
            Picker.of(PickResult.withError(subConnState.connectionError())));
      }
      case SHUTDOWN -> subConn = null;
    }
  }

  /** Posted by {@link RequestConnectionPicker}: reconnects the SubConn if it is still ours. */
  private void requestConnection(SubConn requested) {
    if (!closed && requested == subConn) {
      requested.connect();
    }
  }

  private void publish(ConnectivityState newState, Picker picker) {
    state = newState;
    conn.updateState(newState, picker);
  }

  private static PickFirstConfig configOf(Object balancerConfig) {
    if (balancerConfig instanceof PickFirstConfig config) {
      return config;
    }
    if (balancerConfig instanceof Map<?, ?> raw
        && raw.get(PickFirstBalancerProvider.SHUFFLE_ADDRESS_LIST) instanceof Boolean shuffle) {
      // A channel that passes the raw JSON map instead of the parsed config.
      return new PickFirstConfig(shuffle);
    }
    return PickFirstConfig.DEFAULT;
  }

  /**
   * The IDLE picker: the first pick asks the SubConn to reconnect, through the synchronization
   * context; every pick waits for the next picker.
   */
  private static final class RequestConnectionPicker implements Picker {
    private final PickFirstBalancer balancer;
    private final SubConn subConn;
    private final AtomicBoolean requested = new AtomicBoolean();

    RequestConnectionPicker(PickFirstBalancer balancer, SubConn subConn) {
      this.balancer = balancer;
      this.subConn = subConn;
    }

    @Override
    public PickResult pick(PickInfo info) {
      if (requested.compareAndSet(false, true)) {
        balancer.syncContext.execute(new RequestConnection(balancer, subConn));
      }
      return PickResult.withNoResult();
    }
  }

  /** Reconnects an idle SubConn; a named task for the synchronization context. */
  private static final class RequestConnection implements Runnable {
    private final PickFirstBalancer balancer;
    private final SubConn subConn;

    RequestConnection(PickFirstBalancer balancer, SubConn subConn) {
      this.balancer = balancer;
      this.subConn = subConn;
    }

    @Override
    public void run() {
      balancer.requestConnection(subConn);
    }
  }
}
