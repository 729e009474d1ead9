package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.SynchronizationContext.ScheduledHandle;
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
import java.util.concurrent.TimeUnit;

/**
 * One logical connection over an ordered address list: grpc-go's {@code addrConn}.
 *
 * <p>States: IDLE → CONNECTING on {@link #connect()}; each attempt tries the addresses in order,
 * each for {@code max(minConnectTimeout, backoff)}; the first transport that becomes ready makes
 * it READY (and resets the backoff); when every address failed it is TRANSIENT_FAILURE with the
 * last error and retries automatically once the attempt's backoff has elapsed (measured from the
 * attempt's start, as the connection-backoff spec says). Losing a READY transport (GOAWAY, network
 * loss) makes it IDLE and asks the channel to re-resolve; it reconnects on the next {@code
 * connect()}. {@link #shutdown()} is final: SHUTDOWN is reported, transports shut down gracefully.
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

  /** What a SubConn needs from its channel; called in the serializer. */
  interface Host {
    /** The transport factory, created on first use; UNAVAILABLE when no transport is deployed. */
    ClientTransportFactory transportFactory() throws StatusException;

    ClientTransportOptions transportOptions(Address address, Duration connectTimeout);

    void onStateChange(SubConnImpl subConn, SubConnState state);

    /** A READY connection was lost: a hint to re-resolve. */
    void onReadyLost(SubConnImpl subConn);

    /** Shut down and every transport terminated. */
    void onTerminated(SubConnImpl subConn);

    /** A transport from {@link #transportFactory()} terminated, or never started. */
    default void transportGone(ClientTransport transport) {}
  }

  private final Host host;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService timer;
  private final Deadline.Ticker ticker;
  private final Backoff backoff;

  // Read from any thread; written in the serializer.
  private volatile List<Address> addresses;
  private volatile StreamGate readyGate;

  // Only touched in the serializer: the state machine.
  private ConnectivityState state = ConnectivityState.IDLE;
  private int addressIndex;
  private long attemptStartNanos;
  private long attemptBackoffNanos;
  private long connectTimeoutNanos;
  private ClientTransport pending;
  private Address pendingAddress;
  private ClientTransport active;
  private Address activeAddress;
  private ScheduledHandle connectTimer;
  private ScheduledHandle reconnectTimer;
  // Only touched in the serializer: every started transport not yet terminated.
  private final Set<ClientTransport> transports = new HashSet<>();
  private boolean terminated;

  SubConnImpl(List<Address> addresses, Host host, SynchronizationContext syncContext,
      ScheduledExecutorService timer, Deadline.Ticker ticker, Backoff backoff) {
    this.addresses = checkAddresses(addresses);
    this.host = Objects.requireNonNull(host, "host");
    this.syncContext = syncContext;
    this.timer = timer;
    this.ticker = ticker;
    this.backoff = backoff;
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
      if (!list.contains(pendingAddress)) {
        abandonPending(Status.UNAVAILABLE.withDescription("address removed from the SubConn"));
        addressIndex = 0;
        tryAddress();
      }
    } else {
      addressIndex = 0; // IDLE or TRANSIENT_FAILURE: the next attempt uses the new list
    }
  }

  @Override
  public void shutdown() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (state == ConnectivityState.SHUTDOWN) {
      return;
    }
    cancelTimers();
    Status reason = Status.UNAVAILABLE.withDescription("SubConn shut down");
    if (active != null) {
      shutdownActive(reason);
    }
    if (pending != null) {
      pending.shutdown(reason);
      pending = null;
    }
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
   * The provider of {@code transport} left: stop using it gracefully (its calls finish) and
   * connect again, through whatever transport the registry offers now.
   */
  void transportRetired(ClientTransport transport, Status reason) {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (transport == active) {
      shutdownActive(reason);
      setState(SubConnState.of(ConnectivityState.IDLE));
      host.onReadyLost(this);
    } else if (transport == pending) {
      abandonPending(reason);
      tryAddress(); // the same address, through the replacement (or fail naming the missing one)
    } else {
      transport.shutdown(reason);
    }
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
    attemptBackoffNanos = backoff.nextBackoffNanos();
    attemptStartNanos = ticker.nanoTime();
    connectTimeoutNanos = Math.max(backoff.minConnectTimeoutNanos(), attemptBackoffNanos);
    addressIndex = 0;
    setState(SubConnState.of(ConnectivityState.CONNECTING));
    tryAddress();
  }

  private void tryAddress() {
    Address address = addresses.get(addressIndex);
    ClientTransportFactory factory;
    try {
      factory = host.transportFactory();
    } catch (StatusException e) {
      attemptFailed(e.getStatus()); // no address can be tried without a transport
      return;
    }
    Duration timeout = Duration.ofNanos(connectTimeoutNanos);
    ClientTransport transport;
    try {
      transport = factory.newClientTransport(address.socketAddress(),
          host.transportOptions(address, timeout));
    } catch (RuntimeException e) {
      addressFailed(connectError(address, "transport creation failed: " + e, e));
      return;
    }
    pending = transport;
    pendingAddress = address;
    transports.add(transport);
    connectTimer = syncContext.schedule(
        new ConnectTimeout(transport), connectTimeoutNanos, TimeUnit.NANOSECONDS, timer);
    try {
      transport.start(new TransportEvents(transport));
    } catch (RuntimeException e) {
      transports.remove(transport);
      host.transportGone(transport);
      abandonPending(null);
      addressFailed(connectError(address, "transport failed to start: " + e, e));
    }
  }

  private static Status connectError(Address address, String what, Throwable cause) {
    return Status.UNAVAILABLE.withDescription(address.socketAddress() + ": " + what)
        .withCause(cause);
  }

  private void abandonPending(Status shutdownReason) {
    if (connectTimer != null) {
      connectTimer.cancel();
      connectTimer = null;
    }
    if (pending != null && shutdownReason != null) {
      pending.shutdownNow(shutdownReason);
    }
    pending = null;
    pendingAddress = null;
  }

  private void addressFailed(Status error) {
    if (++addressIndex < addresses.size()) {
      tryAddress();
    } else {
      attemptFailed(error);
    }
  }

  private void attemptFailed(Status error) {
    addressIndex = 0;
    setState(SubConnState.failure(error.isOk() ? Status.UNAVAILABLE : error));
    long delay = Math.max(0, attemptStartNanos + attemptBackoffNanos - ticker.nanoTime());
    reconnectTimer = syncContext.schedule(new Reconnect(), delay, TimeUnit.NANOSECONDS, timer);
  }

  private void clearActive() {
    active = null;
    activeAddress = null;
    readyGate = null;
  }

  private void cancelTimers() {
    if (reconnectTimer != null) {
      reconnectTimer.cancel();
      reconnectTimer = null;
    }
    if (connectTimer != null) {
      connectTimer.cancel();
      connectTimer = null;
    }
  }

  private void setState(SubConnState newState) {
    if (state == newState.state() && newState.state() != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    LOG.log(System.Logger.Level.DEBUG, "{0} {1} -> {2}", this, state, newState);
    state = newState.state();
    // Reported after the current task, so a balancer never sees its own connect() or
    // shutdown() call back into it.
    syncContext.execute(new ReportState(newState));
  }

  private void maybeTerminated() {
    if (state == ConnectivityState.SHUTDOWN && transports.isEmpty() && !terminated) {
      terminated = true;
      host.onTerminated(this);
    }
  }

  private void handleReady(ClientTransport transport) {
    if (transport != pending) {
      transport.shutdown(Status.UNAVAILABLE.withDescription("connection no longer needed"));
      return;
    }
    Address address = pendingAddress;
    abandonPending(null);
    active = transport;
    activeAddress = address;
    readyGate = new StreamGate(transport);
    backoff.reset();
    setState(SubConnState.of(ConnectivityState.READY));
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
    } else if (transport == pending) {
      abandonPending(null);
      addressFailed(status.isOk() ? Status.UNAVAILABLE.withDescription("connection closed") : status);
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
      if (state == ConnectivityState.SHUTDOWN
          && reported.state() != ConnectivityState.SHUTDOWN) {
        return; // shut down meanwhile: SHUTDOWN is the last state a balancer sees
      }
      host.onStateChange(SubConnImpl.this, reported);
    }
  }

  /** Gives up on a connection attempt that has not become ready in time. */
  private final class ConnectTimeout implements Runnable {
    private final ClientTransport transport;

    ConnectTimeout(ClientTransport transport) {
      this.transport = transport;
    }

    @Override
    public void run() {
      if (transport != pending) {
        return;
      }
      Status error = Status.UNAVAILABLE.withDescription(pendingAddress.socketAddress()
          + ": connection attempt timed out after " + Duration.ofNanos(connectTimeoutNanos));
      connectTimer = null;
      abandonPending(error);
      addressFailed(error);
    }
  }

  /** Starts the next attempt once the backoff has elapsed. */
  private final class Reconnect implements Runnable {
    @Override
    public void run() {
      reconnectTimer = null;
      if (state == ConnectivityState.TRANSIENT_FAILURE) {
        startAttempt();
      }
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
