package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.CompositeCredentials;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.TransportProvider;
import dev.switchboard.api.transport.TransportRegistry;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transport the {@link SubConnPool}'s SubConns connect with, owned by the pool: the pool tells
 * it of registry changes and of the shutdown, and asks it for each SubConn's transport factory.
 * Serializer only.
 *
 * <p>Transport providers come and go: it leases the registry's winner for the dial options'
 * transport name on the first connection attempt that needs it (so a transport bundle deployed late
 * is picked up) and keeps one {@link TransportGeneration} per leased provider. When that provider
 * is deregistered or outranked ({@link #providersChanged()}), its generation is retired: no new
 * connection uses it, its connections shut down gracefully (calls on them finish, their SubConns
 * reconnect through the replacement or fail UNAVAILABLE naming the missing transport), and once the
 * last one has terminated its factory is closed and its lease released. When the registry revokes
 * the lease (an OSGi feed does so halfway through its release timeout) the connections still
 * draining are closed at once, failing their calls UNAVAILABLE, so that the provider's code is out
 * of use before its bundle can be refreshed.
 *
 * <p>A missing transport provider ({@link ProviderGrace}, {@code DialOptions.providerGrace}): while
 * its grace period runs, connection attempts wait for it, CONNECTING, so calls queue as for any
 * connection being made; when it arrives they go ahead at once. Once the period has passed, waiting
 * attempts and new ones fail UNAVAILABLE naming the transport and how to deploy it (the SubConns go
 * TRANSIENT_FAILURE), and the provider's arrival still starts them again at once.
 *
 * <p>{@link #describe()} counts each generation's connections by what they are doing: READY ones
 * carry calls, others are being connected or closing. The channel's wiring is rebuilt whenever one
 * of those counts may have changed (a transport created or gone).
 */
final class TransportGenerations {
  // The pool's logger, as before the split: log configurations name it.
  private static final System.Logger LOG = System.getLogger(SubConnPool.class.getName());

  private final ChannelContext ctx;
  private final SynchronizationContext syncContext;
  private final TransportRegistry transportRegistry;
  private final String transportName;
  private final TransportCredentials credentials;
  private final String authority;
  private final PickerWrapper pickerWrapper;
  private final ProviderGrace transportGrace;

  /** The pool's SubConns, read only: told when a missing transport arrives or the wait is over. */
  private final Set<SubConnImpl> subConns;

  // Only touched in the serializer.
  private TransportGeneration current;
  private final Set<TransportGeneration> retiredGenerations = new LinkedHashSet<>();

  /** The generation of each live transport. */
  private final Map<ClientTransport, TransportGeneration> generations = new HashMap<>();

  /** Why the last provider asked for a factory threw, or null. */
  private Status factoryError;

  private TransportProvider failedProvider;
  private boolean shuttingDown;

  /** {@code subConns}: the pool's live SubConns, a read-only view. */
  TransportGenerations(ChannelContext ctx, PickerWrapper pickerWrapper, Set<SubConnImpl> subConns) {
    this.ctx = ctx;
    this.syncContext = ctx.syncContext();
    this.transportRegistry = ctx.transportRegistry();
    this.transportName = ctx.options().transportName();
    // The transport secures connections; a composite's call credentials are applied per call.
    this.credentials =
        ctx.options().credentials() instanceof CompositeCredentials composite
            ? composite.transportCredentials()
            : ctx.options().credentials();
    this.authority = ctx.authority();
    this.pickerWrapper = pickerWrapper;
    this.subConns = subConns;
    this.transportGrace =
        new ProviderGrace(
            ctx.options().providerGrace(),
            syncContext,
            ctx.env().timer(),
            ctx.env().ticker(),
            new TransportGraceExpired());
  }

  /** The channel is shutting down: no new generation, no more waiting for a missing transport. */
  void shutdown() {
    shuttingDown = true;
    transportGrace.cancel();
  }

  /**
   * The factory {@code subConn} makes its next transport with, recording each transport it makes in
   * its generation and in {@code channelz}; {@code null} while waiting for the transport provider.
   *
   * @throws StatusException as {@link #generation()}
   */
  ClientTransportFactory factoryFor(SubConnImpl subConn, ChannelzSubchannel channelz)
      throws StatusException {
    TransportGeneration g = generation();
    if (g == null) {
      return null; // waiting for the transport provider
    }
    return new ClientTransportFactory() {
      @Override
      public ClientTransport newClientTransport(
          SocketAddress address, ClientTransportOptions options) {
        ClientTransport t = g.factory.newClientTransport(address, options);
        if (t != null) {
          g.transports.put(t, subConn);
          generations.put(t, g);
          channelz.transportCreated(t, address);
          ctx.wiringChanged();
        }
        return t;
      }

      @Override
      public void close() {}
    };
  }

  /** A transport from {@link #factoryFor} terminated, or never started. */
  void transportGone(ClientTransport transport) {
    TransportGeneration g = generations.remove(transport);
    if (g != null) {
      g.transports.remove(transport);
      closeIfDrained(g);
      ctx.wiringChanged();
    }
  }

  /** Closes {@code g} once it is retired and its last transport has gone. */
  private void closeIfDrained(TransportGeneration g) {
    if (g.drained()) {
      retiredGenerations.remove(g);
      close(g);
    }
  }

  private void close(TransportGeneration g) {
    g.close(transportName);
    ctx.wiringChanged();
  }

  /** Closes every transport factory and releases their providers, once every transport is gone. */
  void closeFactory() {
    if (current != null) {
      TransportGeneration g = current;
      current = null;
      close(g);
    }
    for (TransportGeneration g : List.copyOf(retiredGenerations)) {
      retiredGenerations.remove(g);
      close(g);
    }
  }

  /**
   * The transport registry changed: retire the current generation when its provider is no longer
   * the winner for the transport name.
   */
  void providersChanged() {
    TransportGeneration g = current;
    if (g == null) {
      if (!shuttingDown
          && (transportGrace.isMissing() || factoryError != null)
          && transportRegistry.lookupRegistration(transportName) != null) {
        // Attempts waiting for a transport (or failed for want of one) go ahead now.
        for (SubConnImpl sc : List.copyOf(subConns)) {
          sc.transportAvailable();
        }
      }
      return; // otherwise the next connection attempt looks the registry up again
    }
    Registration<TransportProvider> winner = transportRegistry.lookupRegistration(transportName);
    if (winner != null && winner.provider() == g.lease.provider()) {
      return;
    }
    retire(g, winner);
  }

  /**
   * Retires {@code g}, no longer the registry's winner ({@code winner} is the new one, or null): no
   * new connection uses it, its connections shut down gracefully.
   */
  private void retire(TransportGeneration g, Registration<TransportProvider> winner) {
    String origin = g.lease.registration().origin();
    Status reason =
        Status.UNAVAILABLE.withDescription(
            "transport '"
                + transportName
                + "' from "
                + origin
                + (winner == null
                    ? " was removed"
                    : " was replaced by one from " + winner.origin()));
    LOG.log(
        System.Logger.Level.INFO,
        "{0}; draining its {1} connection(s)",
        reason.getDescription(),
        g.transports.size());
    current = null;
    g.retired = true;
    retiredGenerations.add(g);
    for (Map.Entry<ClientTransport, SubConnImpl> e : List.copyOf(g.transports.entrySet())) {
      e.getValue().transportRetired(e.getKey(), reason);
    }
    closeIfDrained(g);
    ctx.wiringChanged();
  }

  /**
   * The registry revoked {@code g}'s lease (its provider left and is about to lose its code, see
   * {@link dev.switchboard.api.spi.ProviderRegistry#revoke}): its connections, draining since the
   * provider left, close now, failing their calls UNAVAILABLE; the lease closes once they have
   * terminated. Calls queued or started from now on use the replacement, or wait for one as for any
   * missing transport.
   */
  private void revoked(TransportGeneration g) {
    if (g.closed) {
      return;
    }
    if (g == current) {
      retire(g, transportRegistry.lookupRegistration(transportName)); // not told yet
    }
    Status reason =
        Status.UNAVAILABLE.withDescription(
            "transport provider '"
                + transportName
                + "' from "
                + g.lease.registration().origin()
                + " left; its connection was closed");
    LOG.log(
        System.Logger.Level.INFO,
        "{0}: closing {1} connection(s) still draining now",
        reason.getDescription(),
        g.transports.size());
    for (ClientTransport t : List.copyOf(g.transports.keySet())) {
      t.shutdownNow(reason);
    }
    ctx.wiringChanged();
  }

  /** The transport part of the channel's wiring: the one in use, then those draining. */
  List<ChannelWiring.Component> describe() {
    List<ChannelWiring.Component> out = new ArrayList<>();
    TransportGeneration g = current;
    if (g != null) {
      out.add(
          ChannelWiring.Component.newBuilder(ChannelWiring.Role.TRANSPORT, transportName)
              .origin(g.lease.registration().origin())
              .reason(Reasons.transport(transportRegistry, g.lease.registration()))
              .detail(g.connections())
              .build());
    } else {
      Registration<TransportProvider> winner = transportRegistry.lookupRegistration(transportName);
      if (winner != null && factoryError != null && winner.provider() == failedProvider) {
        out.add(
            ChannelWiring.Component.newBuilder(ChannelWiring.Role.TRANSPORT, transportName)
                .origin(winner.origin())
                .reason(Reasons.transport(transportRegistry, winner))
                .state(ChannelWiring.State.FAILED)
                .detail(factoryError.getDescription())
                .build());
      } else if (winner != null) {
        out.add(
            ChannelWiring.Component.newBuilder(ChannelWiring.Role.TRANSPORT, transportName)
                .origin(winner.origin())
                .reason(Reasons.transport(transportRegistry, winner))
                .detail("no connection yet")
                .build());
      } else {
        out.add(
            ChannelWiring.Component.newBuilder(ChannelWiring.Role.TRANSPORT, transportName)
                .state(ChannelWiring.State.MISSING)
                .reason(Reasons.transportNamed(transportName))
                .detail("no transport '" + transportName + "' deployed" + graceState())
                .build());
      }
    }
    for (TransportGeneration r : retiredGenerations) {
      out.add(
          ChannelWiring.Component.newBuilder(ChannelWiring.Role.TRANSPORT, transportName)
              .origin(r.lease.registration().origin())
              .state(ChannelWiring.State.DRAINING)
              .reason("its provider left; no new connections")
              .detail(r.transports.size() + " connection(s) finishing their calls")
              .build());
    }
    return out;
  }

  /** The wait for a missing transport, for the wiring. */
  private String graceState() {
    if (!transportGrace.isMissing()) {
      return "";
    }
    return transportGrace.missingFor().compareTo(transportGrace.grace()) < 0
        ? "; connections wait for one (grace period " + transportGrace.grace() + ")"
        : "; calls fail until one is (waited " + transportGrace.grace() + ")";
  }

  /** UNAVAILABLE: no transport of the channel's name, and how to deploy one. */
  private Status missingTransport() {
    return Status.UNAVAILABLE.withDescription(
        "no transport '"
            + transportName
            + "' deployed: "
            + transportRegistry.howToDeploy(transportName));
  }

  /**
   * The generation new connections use, or {@code null} when no transport is deployed and
   * connections wait for one.
   *
   * @throws StatusException UNAVAILABLE when no transport is deployed and the wait is over or the
   *     provider failed to create a factory; CANCELLED when the channel is closing
   */
  private TransportGeneration generation() throws StatusException {
    if (current != null) {
      return current;
    }
    if (shuttingDown) {
      throw Status.CANCELLED.withDescription("channel is closing").asException();
    }
    Lease<TransportProvider> lease = transportRegistry.acquire(transportName);
    if (lease == null) {
      factoryError = null; // missing, not failed: describe() looks the registry up
      boolean first = !transportGrace.isMissing();
      if (transportGrace.waiting()) {
        if (first) {
          LOG.log(
              System.Logger.Level.INFO,
              "no transport ''{0}'' deployed yet; connections to " + "{1} wait up to {2} for one",
              transportName,
              authority,
              transportGrace.grace());
          pickerWrapper.setLastConnectionError(missingTransport()); // explains a blocking dial
          ctx.wiringChanged();
        }
        return null;
      }
      throw missingTransport().asException();
    }
    if (transportGrace.isMissing()) {
      LOG.log(
          System.Logger.Level.INFO,
          "transport ''{0}'' from {1} deployed after {2}; " + "connecting",
          transportName,
          lease.registration().origin(),
          transportGrace.missingFor());
    }
    transportGrace.found();
    ClientTransportFactory factory;
    try {
      factory = lease.provider().newClientTransportFactory(credentials);
      if (factory == null) {
        throw new IllegalStateException("newClientTransportFactory returned null");
      }
    } catch (RuntimeException | LinkageError e) {
      lease.close();
      LOG.log(
          System.Logger.Level.WARNING,
          "transport '"
              + transportName
              + "' from "
              + lease.registration().origin()
              + " failed to create a factory",
          e);
      failedProvider = lease.provider();
      factoryError =
          Status.UNAVAILABLE
              .withDescription(
                  "transport '"
                      + transportName
                      + "' cannot create connections with credentials "
                      + credentials
                      + ": "
                      + e)
              .withCause(e);
      ctx.wiringChanged();
      throw factoryError.asException();
    }
    factoryError = null;
    failedProvider = null;
    TransportGeneration g = new TransportGeneration(lease, factory);
    current = g;
    // Asked on the revoking thread (the bundle stopping); the connections are ours to close.
    lease.onRevoked(() -> syncContext.execute(() -> revoked(g)));
    ctx.wiringChanged();
    return g;
  }

  /** The grace period for the missing transport has passed: waiting attempts fail. */
  private final class TransportGraceExpired implements Runnable {
    @Override
    public void run() {
      if (shuttingDown) {
        return;
      }
      Status missing = missingTransport();
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} after waiting {1}; connections to {2} fail " + "until one is",
          missing.getDescription(),
          transportGrace.grace(),
          authority);
      for (SubConnImpl sc : List.copyOf(subConns)) {
        sc.transportWaitOver(missing);
      }
      ctx.wiringChanged();
    }
  }
}
