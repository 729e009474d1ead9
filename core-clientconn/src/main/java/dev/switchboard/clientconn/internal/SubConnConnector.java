package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.SynchronizationContext.ScheduledHandle;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The connection attempts of one {@link SubConnImpl} (grpc-go's {@code addrConn.tryAllAddrs}): an
 * attempt tries the SubConn's addresses in order, one transport at a time, each for {@code
 * max(minConnectTimeout, backoff)}. The first transport that becomes ready ends the attempt and
 * resets the backoff; when every address failed, the SubConn is told (it goes TRANSIENT_FAILURE)
 * and the next attempt is requested once the attempt's backoff has elapsed, measured from the
 * attempt's start, as the connection-backoff spec says.
 *
 * <p>When the channel has no transport provider yet but still waits for one ({@link
 * SubConnImpl.Host#transportFactory()} returns null), the attempt pauses, CONNECTING, until the
 * provider arrives ({@link #transportAvailable()}) or the wait is over ({@link
 * #transportWaitOver(Status)}: the attempt fails). An attempt that failed for want of a transport
 * factory starts again as soon as one may be there, without waiting for its backoff.
 *
 * <p>The SubConn keeps the state machine and the READY transport; this class owns the transport
 * being connected and the two timers. Serializer only, like the SubConn that owns it.
 */
final class SubConnConnector {
  private final SubConnImpl owner;
  private final SubConnImpl.Host host;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService timer;
  private final Deadline.Ticker ticker;
  private final Backoff backoff;

  // Only touched in the serializer: the current attempt.
  private int addressIndex;
  private long attemptStartNanos;
  private long attemptBackoffNanos;
  private long connectTimeoutNanos;
  private ClientTransport pending;
  private Address pendingAddress;
  private ScheduledHandle connectTimer;
  private ScheduledHandle reconnectTimer;

  /** The attempt is paused until the channel has a transport provider. */
  private boolean awaitingTransport;

  /** The last attempt failed because the channel had no transport factory to connect with. */
  private boolean failedForTransport;

  SubConnConnector(
      SubConnImpl owner,
      SubConnImpl.Host host,
      SynchronizationContext syncContext,
      ScheduledExecutorService timer,
      Deadline.Ticker ticker,
      Backoff backoff) {
    this.owner = owner;
    this.host = host;
    this.syncContext = syncContext;
    this.timer = timer;
    this.ticker = ticker;
    this.backoff = backoff;
  }

  /** Starts an attempt from the first address; the SubConn is CONNECTING. */
  void start() {
    failedForTransport = false;
    attemptBackoffNanos = backoff.nextBackoffNanos();
    attemptStartNanos = ticker.nanoTime();
    connectTimeoutNanos = Math.max(backoff.minConnectTimeoutNanos(), attemptBackoffNanos);
    addressIndex = 0;
    tryAddress();
  }

  /** The next attempt starts from the first address (the list changed while not connecting). */
  void rewind() {
    addressIndex = 0;
  }

  /** The address list changed while connecting: start over if the address being tried left. */
  void addressesChanged(List<Address> addresses) {
    if (awaitingTransport) {
      addressIndex = 0; // resumes with the new list
      return;
    }
    if (!addresses.contains(pendingAddress)) {
      abandonPending(Status.UNAVAILABLE.withDescription("address removed from the SubConn"));
      addressIndex = 0;
      tryAddress();
    }
  }

  /**
   * {@code transport} became ready: when it is the one being connected, ends the attempt, resets
   * the backoff and returns its address; else returns null.
   */
  Address ready(ClientTransport transport) {
    if (transport != pending) {
      return null;
    }
    Address address = pendingAddress;
    abandonPending(null);
    backoff.reset();
    return address;
  }

  /** {@code transport} shut down: when it is the one being connected, try the next address. */
  void transportShutdown(ClientTransport transport, Status status) {
    if (transport == pending) {
      abandonPending(null);
      addressFailed(
          status.isOk() ? Status.UNAVAILABLE.withDescription("connection closed") : status);
    }
  }

  /**
   * The provider of {@code transport} left: when it is the one being connected, drop it and try the
   * same address again, through the replacement (or fail naming the missing one).
   *
   * @return false when {@code transport} is not the one being connected
   */
  boolean transportRetired(ClientTransport transport, Status reason) {
    if (transport != pending) {
      return false;
    }
    abandonPending(reason);
    tryAddress();
    return true;
  }

  /** True when {@code transport} is the one being connected. */
  boolean isConnecting(ClientTransport transport) {
    return transport != null && transport == pending;
  }

  /** True while the attempt is paused for want of a transport provider. */
  boolean isAwaitingTransport() {
    return awaitingTransport;
  }

  /**
   * The channel's transport provider may be there now: resume a paused attempt, or start the next
   * attempt at once when the last one failed for want of a transport factory.
   */
  void transportAvailable() {
    if (awaitingTransport) {
      awaitingTransport = false;
      tryAddress();
    } else if (failedForTransport && reconnectTimer != null) {
      reconnectTimer.cancel();
      reconnectTimer = null;
      owner.backoffElapsed();
    }
  }

  /** The channel stopped waiting for its missing transport provider: a paused attempt fails. */
  void transportWaitOver(Status missing) {
    if (awaitingTransport) {
      awaitingTransport = false;
      failedForTransport = true;
      attemptFailed(missing);
    }
  }

  /** The application reset the backoff: start it over, and end a wait for the next attempt. */
  void resetBackoff() {
    backoff.reset();
    if (reconnectTimer != null) {
      reconnectTimer.cancel();
      reconnectTimer = null;
      owner.backoffElapsed();
    }
  }

  /** Cancels the timers and shuts the transport being connected down gracefully. */
  void shutdown(Status reason) {
    awaitingTransport = false;
    if (reconnectTimer != null) {
      reconnectTimer.cancel();
      reconnectTimer = null;
    }
    if (connectTimer != null) {
      connectTimer.cancel();
      connectTimer = null;
    }
    if (pending != null) {
      pending.shutdown(reason);
      pending = null;
    }
  }

  private void tryAddress() {
    Address address = owner.addresses().get(addressIndex);
    ClientTransportFactory factory;
    try {
      factory = host.transportFactory();
    } catch (StatusException e) {
      failedForTransport = true;
      attemptFailed(e.getStatus()); // no address can be tried without a transport
      return;
    }
    if (factory == null) {
      awaitingTransport = true; // CONNECTING until the transport arrives or the wait is over
      return;
    }
    Duration timeout = Duration.ofNanos(connectTimeoutNanos);
    ClientTransport transport;
    try {
      transport =
          factory.newClientTransport(
              address.socketAddress(), host.transportOptions(address, timeout));
    } catch (RuntimeException e) {
      addressFailed(connectError(address, "transport creation failed: " + e, e));
      return;
    }
    pending = transport;
    pendingAddress = address;
    ClientTransportListener listener = owner.transportCreated(transport);
    connectTimer =
        syncContext.schedule(
            new ConnectTimeout(transport), connectTimeoutNanos, TimeUnit.NANOSECONDS, timer);
    try {
      transport.start(listener);
    } catch (RuntimeException e) {
      owner.transportNotStarted(transport);
      abandonPending(null);
      addressFailed(connectError(address, "transport failed to start: " + e, e));
    }
  }

  private static Status connectError(Address address, String what, Throwable cause) {
    return Status.UNAVAILABLE
        .withDescription(address.socketAddress() + ": " + what)
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
    if (++addressIndex < owner.addresses().size()) {
      tryAddress();
    } else {
      attemptFailed(error);
    }
  }

  private void attemptFailed(Status error) {
    addressIndex = 0;
    owner.attemptFailed(error);
    long delay = Math.max(0, attemptStartNanos + attemptBackoffNanos - ticker.nanoTime());
    reconnectTimer = syncContext.schedule(new Reconnect(), delay, TimeUnit.NANOSECONDS, timer);
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
      Status error =
          Status.UNAVAILABLE.withDescription(
              pendingAddress.socketAddress()
                  + ": connection attempt timed out after "
                  + Duration.ofNanos(connectTimeoutNanos));
      connectTimer = null;
      abandonPending(error);
      addressFailed(error);
    }
  }

  /** The failed attempt's backoff has elapsed: the SubConn may start the next one. */
  private final class Reconnect implements Runnable {
    @Override
    public void run() {
      reconnectTimer = null;
      owner.backoffElapsed();
    }
  }
}
