package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.HealthCheckListener;
import dev.switchboard.api.spi.HealthCheckProvider;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.transport.ClientTransport;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One SubConn's client-side health check (gRFC A17): while its connection is READY and the channel
 * checks health, a watch through the {@link HealthCheckProvider} on that connection decides what
 * the balancer sees. CONNECTING until the backend's first answer; READY while it says SERVING;
 * TRANSIENT_FAILURE otherwise, and while a watch that ended waits to be started again; CONNECTING
 * again while a new watch awaits its first answer (as grpc-go's health client does). A watch that
 * ended without an answer is started again after the connection backoff; one that had answers at
 * once, with the backoff started over. UNIMPLEMENTED (the backend has no health service) counts as
 * healthy, logged once per connection, and is not asked again on that connection.
 *
 * <p>Owned by its {@link SubConnImpl}, which starts it when a connection becomes READY and stops it
 * when that connection is no longer its READY one, and hears from it through {@link
 * SubConnImpl#healthChanged}. The provider is leased while a connection is checked; when the
 * registry revokes the lease (its bundle is leaving) the check stops and the backend counts as
 * healthy. Serializer only; the provider's events are posted into it and those of a watch that is
 * no longer current are dropped.
 */
final class HealthWatch {
  private static final System.Logger LOG = System.getLogger(HealthWatch.class.getName());

  private final SubConnImpl subConn;
  private final HealthChecking checking;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService timer;
  private final Backoff backoff;

  // Only touched in the serializer: the connection being checked, or none.
  private ClientTransport transport;
  private String serviceName;
  private Lease<HealthCheckProvider> lease;
  private HealthCheckProvider.Watch watch;
  private Events events; // the current watch's listener; others' events are dropped
  private boolean answered; // the current watch has had a status
  private SynchronizationContext.ScheduledHandle retry;

  HealthWatch(
      SubConnImpl subConn,
      HealthChecking checking,
      SynchronizationContext syncContext,
      ScheduledExecutorService timer,
      Backoff backoff) {
    this.subConn = subConn;
    this.checking = checking;
    this.syncContext = syncContext;
    this.timer = timer;
    this.backoff = backoff;
  }

  /**
   * {@code ready} is the SubConn's new READY connection.
   *
   * @return the state to report for it now: READY when its health is not checked, CONNECTING while
   *     the first answer is awaited
   */
  SubConnState start(ClientTransport ready) {
    stop();
    String name = checking == null ? null : checking.serviceName();
    if (name == null) {
      return SubConnState.of(ConnectivityState.READY);
    }
    Lease<HealthCheckProvider> leased = checking.acquire();
    if (leased == null) {
      return SubConnState.of(ConnectivityState.READY); // logged by the channel's checking
    }
    transport = ready;
    serviceName = name;
    lease = leased;
    backoff.reset();
    leased.onRevoked(() -> syncContext.execute(() -> revoked(leased)));
    startWatch();
    return SubConnState.of(ConnectivityState.CONNECTING);
  }

  /** The checked connection is no longer READY: ends the watch and releases the provider. */
  void stop() {
    if (transport == null) {
      return;
    }
    transport = null;
    events = null;
    if (watch != null) {
      watch.cancel();
      watch = null;
    }
    if (retry != null) {
      retry.cancel();
      retry = null;
    }
    lease.close();
    lease = null;
  }

  private void startWatch() {
    retry = null;
    Events listener = new Events();
    events = listener;
    answered = false;
    try {
      watch = lease.provider().watch(transport, serviceName, listener);
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "health check provider failed to start a watch", e);
      watch = null;
      ended(
          listener,
          Status.UNAVAILABLE.withDescription("health check failed to start: " + e).withCause(e));
    }
  }

  private void statusReceived(Events from, boolean serving, String description) {
    if (from != events) {
      return;
    }
    answered = true;
    subConn.healthChanged(
        serving
            ? SubConnState.of(ConnectivityState.READY)
            : SubConnState.failure(
                Status.UNAVAILABLE.withDescription(
                    "health check of '" + serviceName + "' says " + description)));
  }

  private void ended(Events from, Status status) {
    if (from != events) {
      return;
    }
    events = null;
    watch = null;
    if (status.getCode() == Status.Code.UNIMPLEMENTED) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} does not implement grpc.health.v1.Health ({1}); treating it as healthy",
          subConn,
          status);
      subConn.healthChanged(SubConnState.of(ConnectivityState.READY));
      return; // not asked again on this connection
    }
    subConn.healthChanged(
        SubConnState.failure(
            Status.UNAVAILABLE.withDescription(
                "health check stream of '" + serviceName + "' ended: " + status)));
    if (answered) {
      backoff.reset();
      watchAgain();
      return;
    }
    retry =
        syncContext.schedule(
            this::watchAgain, backoff.nextBackoffNanos(), TimeUnit.NANOSECONDS, timer);
  }

  private void watchAgain() {
    subConn.healthChanged(SubConnState.of(ConnectivityState.CONNECTING));
    startWatch();
  }

  private void revoked(Lease<HealthCheckProvider> revoked) {
    if (revoked != lease) {
      return;
    }
    stop();
    subConn.healthChanged(SubConnState.of(ConnectivityState.READY));
  }

  /** One watch's events, posted into the serializer. */
  private final class Events implements HealthCheckListener {
    @Override
    public void statusReceived(boolean serving, String description) {
      syncContext.execute(() -> HealthWatch.this.statusReceived(this, serving, description));
    }

    @Override
    public void watchEnded(Status status) {
      syncContext.execute(() -> ended(this, status));
    }
  }
}
