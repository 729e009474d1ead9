package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.ClientTransportOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One logical connection over an ordered address list: grpc-go's {@code addrConn}.
 *
 * <p>States: IDLE → CONNECTING on {@link #connect()}; each attempt tries the addresses in order,
 * each for {@code max(minConnectTimeout, backoff)}; the first transport that becomes ready makes it
 * READY (and resets the backoff); when every address failed it is TRANSIENT_FAILURE with the last
 * error and retries automatically once the attempt's backoff has elapsed (measured from the
 * attempt's start, as the connection-backoff spec says). Losing a READY transport (GOAWAY, network
 * loss) makes it IDLE and asks the channel to re-resolve; it reconnects on the next {@code
 * connect()}. {@link #shutdown()} is final: SHUTDOWN is reported, transports shut down gracefully.
 * This class keeps the state machine and the READY transport; the attempts are run by its {@link
 * SubConnConnector}.
 *
 * <p>The READY transport is handed to pickers behind a {@link StreamGate}: every graceful shutdown
 * the SubConn decides (its own shutdown, an address removed, the transport's provider leaving)
 * waits for the streams being started on it, so a call picked just before never fails for it.
 *
 * <p>Threading: all methods except {@link #readyGate()} must run in the channel's serializer;
 * transport events from transport threads are posted into it.
 */
final class SubConnImpl implements SubConn {
  private static final System.Logger LOG = System.getLogger(SubConnImpl.class.getName());

  /**
   * What a SubConn needs from its channel; called in the serializer. In the channel, the {@link
   * SubConnPool} gives each SubConn one (holding the balancer's listener and its channelz entry;
   * the pool's {@link TransportGenerations} knows the generation of each transport); the interface
   * is the seam {@code SubConnImplTest} replaces to drive the state machine without a pool, a
   * transport registry or a balancer.
   */
  interface Host {
    /**
     * The transport factory, created on first use; {@code null} when no transport is deployed yet
     * and the channel waits for one (the SubConn then stays CONNECTING until {@link
     * #transportAvailable()} or {@link #transportWaitOver(Status)}); UNAVAILABLE when none is
     * deployed and the channel does not wait any more.
     */
    ClientTransportFactory transportFactory() throws StatusException;

    ClientTransportOptions transportOptions(Address address, Duration connectTimeout);

    void onStateChange(SubConnImpl subConn, SubConnState state);

    /** A READY connection was lost: a hint to re-resolve. */
    void onReadyLost(SubConnImpl subConn);

    /** Shut down and every transport terminated. */
    void onTerminated(SubConnImpl subConn);

    /** A transport from {@link #transportFactory()} terminated, or never started. */
    default void transportGone(ClientTransport transport) {}

    /** The channel's client-side health checking, or {@code null}: READY means READY. */
    default HealthChecking healthChecking() {
      return null;
    }
  }

  private final Host host;
  private final SynchronizationContext syncContext;
  private final SubConnConnector connector;
  private final HealthWatch health;

  // Read from any thread; written in the serializer.
  private volatile List<Address> addresses;
  private volatile StreamGate readyGate;

  // Only touched in the serializer: the state machine.
  private ConnectivityState state = ConnectivityState.IDLE;
  // What the balancer was last told: the state, except while READY, where health checks decide.
  private ConnectivityState reported = ConnectivityState.IDLE;
  private ClientTransport active;
  private Address activeAddress;
  // Only touched in the serializer: every started transport not yet terminated.
  private final Set<ClientTransport> transports = new HashSet<>();
  private boolean terminated;

  SubConnImpl(
      List<Address> addresses,
      Host host,
      SynchronizationContext syncContext,
      ScheduledExecutorService timer,
      Deadline.Ticker ticker,
      Backoff backoff) {
    this.addresses = checkAddresses(addresses);
    this.host = Objects.requireNonNull(host, "host");
    this.syncContext = syncContext;
    this.health = new HealthWatch(this, host.healthChecking(), syncContext, timer, backoff.copy());
    this.connector = new SubConnConnector(this, host, syncContext, timer, ticker, backoff);
  }

  private static List<Address> checkAddresses(List<Address> addresses) {
    List<Address> copy = List.copyOf(addresses);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a SubConn needs at least one address");
    }
    return copy;
  }

  /** The READY transport's gate, or {@code null}: read by pickers on calling threads. */
  StreamGate readyGate() {
    return readyGate;
  }

  /** The READY transport, or {@code null}; for tests. */
  ClientTransport readyTransport() {
    StreamGate gate = readyGate;
    return gate == null ? null : gate.transport();
  }

  ConnectivityState state() {
    syncContext.throwIfNotInThisSynchronizationContext();
    return state;
  }

  @Override
  public List<Address> addresses() {
    return addresses;
  }

  @Override
  public void connect() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (state == ConnectivityState.IDLE) {
      startAttempt();
    }
  }

  @Override
  public void updateAddresses(List<Address> newAddresses) {
    syncContext.throwIfNotInThisSynchronizationContext();
    List<Address> list = checkAddresses(newAddresses);
    addresses = list;
    if (state == ConnectivityState.READY) {
      if (!list.contains(activeAddress)) {
        shutdownActive(Status.UNAVAILABLE.withDescription("address removed from the SubConn"));
        startAttempt();
      }
    } else if (state == ConnectivityState.CONNECTING) {
      connector.addressesChanged(list);
    } else {
      connector.rewind(); // IDLE or TRANSIENT_FAILURE: the next attempt uses the new list
    }
  }

  @Override
  public void shutdown() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (state == ConnectivityState.SHUTDOWN) {
      return;
    }
    Status reason = Status.UNAVAILABLE.withDescription("SubConn shut down");
    if (active != null) {
      shutdownActive(reason);
    }
    connector.shutdown(reason); // cancels its timers, shuts the connecting transport down
    setState(SubConnState.of(ConnectivityState.SHUTDOWN));
    maybeTerminated();
  }

  /** Shuts down and closes every transport now, failing their streams: the channel is closing. */
  void shutdownNow(Status reason) {
    syncContext.throwIfNotInThisSynchronizationContext();
    shutdown();
    for (ClientTransport t : List.copyOf(transports)) {
      t.shutdownNow(reason);
    }
  }

  /**
   * The provider of {@code transport} left: stop using it gracefully (its calls finish) and connect
   * again, through whatever transport the registry offers now.
   */
  void transportRetired(ClientTransport transport, Status reason) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (transport == active) {
      shutdownActive(reason);
      setState(SubConnState.of(ConnectivityState.IDLE));
      host.onReadyLost(this);
    } else if (!connector.transportRetired(transport, reason)) {
      transport.shutdown(reason);
    }
  }

  /**
   * The channel's transport provider may be there now: a connection attempt waiting for it goes
   * ahead, one that failed for want of it starts again at once.
   */
  void transportAvailable() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (state == ConnectivityState.CONNECTING || state == ConnectivityState.TRANSIENT_FAILURE) {
      connector.transportAvailable();
    }
  }

  /** The channel stopped waiting for its missing transport: an attempt waiting for it fails. */
  void transportWaitOver(Status missing) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (state == ConnectivityState.CONNECTING) {
      connector.transportWaitOver(missing);
    }
  }

  /**
   * The application reset the connection backoff: the backoff starts over, and a SubConn waiting in
   * TRANSIENT_FAILURE for its next attempt starts it now.
   */
  void resetConnectBackoff() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (state != ConnectivityState.SHUTDOWN) {
      connector.resetBackoff();
    }
  }

  /** What {@code transport}, one of this SubConn's, is doing: for the channel's wiring. */
  TransportUse use(ClientTransport transport) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (transport == active) {
      return TransportUse.READY;
    }
    return connector.isConnecting(transport) ? TransportUse.CONNECTING : TransportUse.CLOSING;
  }

  /** What a transport of a SubConn is doing. */
  enum TransportUse {
    /** Carries the SubConn's calls. */
    READY,
    /** Being connected. */
    CONNECTING,
    /** Shut down (or never became ready), finishing its calls until it terminates. */
    CLOSING
  }

  /** Closes the READY transport's gate; the transport shuts down once no stream is starting. */
  private void shutdownActive(Status reason) {
    ClientTransport old = active;
    StreamGate gate = readyGate;
    clearActive();
    if (gate != null) {
      gate.close(() -> old.shutdown(reason));
    } else {
      old.shutdown(reason);
    }
  }

  private void startAttempt() {
    setState(SubConnState.of(ConnectivityState.CONNECTING));
    connector.start();
  }

  /** Tracks a transport the connector created, until it terminates; returns its listener. */
  ClientTransportListener transportCreated(ClientTransport transport) {
    transports.add(transport);
    return new TransportEvents(transport);
  }

  /** A transport the connector created threw in {@code start()}: it never started. */
  void transportNotStarted(ClientTransport transport) {
    transports.remove(transport);
    host.transportGone(transport);
  }

  /** Every address of the connector's attempt failed. */
  void attemptFailed(Status error) {
    setState(SubConnState.failure(error.isOk() ? Status.UNAVAILABLE : error));
  }

  /** The connector's backoff after a failed attempt has elapsed: try again unless shut down. */
  void backoffElapsed() {
    if (state == ConnectivityState.TRANSIENT_FAILURE) {
      startAttempt();
    }
  }

  private void clearActive() {
    health.stop();
    active = null;
    activeAddress = null;
    readyGate = null;
  }

  private void setState(SubConnState newState) {
    setState(newState, newState);
  }

  /** Moves to {@code newState}, and tells the balancer {@code shown}. */
  private void setState(SubConnState newState, SubConnState shown) {
    if (state == newState.state() && newState.state() != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    LOG.log(System.Logger.Level.DEBUG, "{0} {1} -> {2}", this, state, newState);
    state = newState.state();
    report(shown);
  }

  private void report(SubConnState shown) {
    if (reported == shown.state() && shown.state() != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    reported = shown.state();
    // Reported after the current task, so a balancer never sees its own connect() or
    // shutdown() call back into it.
    syncContext.execute(new ReportState(shown));
  }

  /**
   * The health check of the READY connection says {@code shown}: READY when healthy, else what the
   * balancer sees instead of READY (see {@link HealthWatch}).
   */
  void healthChanged(SubConnState shown) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (state == ConnectivityState.READY) {
      report(shown);
    }
  }

  private void maybeTerminated() {
    if (state == ConnectivityState.SHUTDOWN && transports.isEmpty() && !terminated) {
      terminated = true;
      host.onTerminated(this);
    }
  }

  private void handleReady(ClientTransport transport) {
    Address address = connector.ready(transport); // resets the backoff
    if (address == null) {
      transport.shutdown(Status.UNAVAILABLE.withDescription("connection no longer needed"));
      return;
    }
    active = transport;
    activeAddress = address;
    readyGate = new StreamGate(transport);
    setState(SubConnState.of(ConnectivityState.READY), health.start(transport));
  }

  private void handleShutdown(ClientTransport transport, Status status) {
    if (transport == active) {
      StreamGate gate = readyGate;
      if (gate != null) {
        gate.close(null); // normally closed already, by TransportEvents
      }
      clearActive();
      setState(SubConnState.of(ConnectivityState.IDLE));
      host.onReadyLost(this);
    } else {
      connector.transportShutdown(transport, status);
    }
  }

  private void handleTerminated(ClientTransport transport) {
    if (transports.remove(transport)) {
      host.transportGone(transport);
    }
    handleShutdown(transport, Status.UNAVAILABLE.withDescription("connection terminated"));
    maybeTerminated();
  }

  @Override
  public String toString() {
    return "SubConn" + addresses;
  }

  /** Tells the channel (and through it the balancer) about a state change. */
  private final class ReportState implements Runnable {
    private final SubConnState reported;

    ReportState(SubConnState reported) {
      this.reported = reported;
    }

    @Override
    public void run() {
      if (state == ConnectivityState.SHUTDOWN && reported.state() != ConnectivityState.SHUTDOWN) {
        return; // shut down meanwhile: SHUTDOWN is the last state a balancer sees
      }
      host.onStateChange(SubConnImpl.this, reported);
    }
  }

  /** One transport's lifecycle events, posted from transport threads into the serializer. */
  private final class TransportEvents implements ClientTransportListener {
    private final ClientTransport transport;

    TransportEvents(ClientTransport transport) {
      this.transport = transport;
    }

    @Override
    public void transportReady() {
      syncContext.execute(() -> handleReady(transport));
    }

    @Override
    public void transportShutdown(Status status) {
      // Close the door at once, on the transport thread: picks from now on go elsewhere.
      StreamGate gate = readyGate;
      if (gate != null && gate.transport() == transport) {
        gate.close(null);
      }
      syncContext.execute(() -> handleShutdown(transport, status));
    }

    @Override
    public void transportTerminated() {
      syncContext.execute(() -> handleTerminated(transport));
    }
  }
}
