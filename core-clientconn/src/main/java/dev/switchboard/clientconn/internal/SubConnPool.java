package dev.switchboard.clientconn.internal;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.spi.SubConnStateListener;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The channel's SubConns (grpc-go keeps them in {@code ClientConn.conns}): creates SubConns for
 * balancers, builds per-connection options, records connection errors for pick failures in the
 * {@link PickerWrapper}, and tracks SubConns until they terminate. A lost READY connection asks for
 * re-resolution, and the last SubConn terminating after the shutdown lets the channel terminate,
 * through the {@link ChannelContext}. Serializer only.
 *
 * <p>The transport they connect with, leased from the registry and replaced when its provider
 * leaves or a missing one arrives, is the pool's {@link TransportGenerations}.
 */
final class SubConnPool {
  private final ChannelContext ctx;
  private final SynchronizationContext syncContext;
  private final ChannelEnvironment env;
  private final BackoffConfig backoffConfig;
  private final CompressorRegistry compressorRegistry;
  private final String authority;
  private final String userAgent;
  private final PickerWrapper pickerWrapper;
  private final HealthChecking healthChecking;
  private final TransportGenerations transports;

  // Only touched in the serializer.
  private final Set<SubConnImpl> live = new HashSet<>();
  private boolean shuttingDown;

  SubConnPool(ChannelContext ctx, PickerWrapper pickerWrapper) {
    this.ctx = ctx;
    this.syncContext = ctx.syncContext();
    this.env = ctx.env();
    this.backoffConfig = ctx.options().backoff();
    this.compressorRegistry = ctx.compressorRegistry();
    this.authority = ctx.authority();
    this.userAgent = ctx.userAgent();
    this.pickerWrapper = pickerWrapper;
    this.healthChecking =
        new HealthChecking(
            ctx.healthCheckRegistry(),
            ctx.options().healthCheckDisabled(),
            ctx.target().original());
    this.transports =
        new TransportGenerations(ctx, pickerWrapper, Collections.unmodifiableSet(live));
  }

  /** The balancer wrapper adopted {@code config}: its health check applies to new connections. */
  void healthCheckConfigured(ServiceConfig config) {
    healthChecking.configured(config);
  }

  SubConnImpl newSubConn(List<Address> addresses, SubConnStateListener listener) {
    Callbacks callbacks = new Callbacks(listener);
    SubConnImpl sc =
        new SubConnImpl(
            addresses,
            callbacks,
            syncContext,
            env.timer(),
            env.ticker(),
            new Backoff(backoffConfig, env.random()));
    callbacks.subConn = sc;
    callbacks.channelz = ctx.channelz().newSubchannel(addresses);
    live.add(sc);
    if (shuttingDown) {
      sc.shutdown();
    }
    return sc;
  }

  /**
   * Shuts every SubConn down: gracefully ({@code reason} null: calls on their transports finish),
   * else closing their transports now with {@code reason}. May follow a graceful shutdown.
   */
  void shutdown(Status reason) {
    shuttingDown = true;
    transports.shutdown();
    for (SubConnImpl sc : List.copyOf(live)) {
      if (reason == null) {
        sc.shutdown();
      } else {
        sc.shutdownNow(reason);
      }
    }
    if (live.isEmpty()) {
      ctx.subConnsTerminated();
    }
  }

  /** Starts every SubConn's connection backoff over; those waiting to retry reconnect now. */
  void resetConnectBackoff() {
    for (SubConnImpl sc : List.copyOf(live)) {
      sc.resetConnectBackoff();
    }
  }

  boolean allTerminated() {
    return live.isEmpty();
  }

  /** Closes every transport factory and releases their providers, once every transport is gone. */
  void closeFactory() {
    transports.closeFactory();
  }

  /** The transport registry changed: see {@link TransportGenerations#providersChanged()}. */
  void providersChanged() {
    transports.providersChanged();
  }

  /** The transport part of the channel's wiring: the one in use, then those draining. */
  List<ChannelWiring.Component> describe() {
    return transports.describe();
  }

  /** One SubConn's {@link SubConnImpl.Host}: its link to the pool and its balancer's listener. */
  private final class Callbacks implements SubConnImpl.Host {
    private final SubConnStateListener listener;
    SubConnImpl subConn;
    ChannelzSubchannel channelz;

    Callbacks(SubConnStateListener listener) {
      this.listener = listener;
    }

    @Override
    public ClientTransportFactory transportFactory() throws StatusException {
      return transports.factoryFor(subConn, channelz);
    }

    @Override
    public HealthChecking healthChecking() {
      return healthChecking;
    }

    @Override
    public void transportGone(ClientTransport transport) {
      channelz.transportGone(transport);
      transports.transportGone(transport);
    }

    @Override
    public ClientTransportOptions transportOptions(Address address, Duration connectTimeout) {
      return new ClientTransportOptions(
          address.authority() != null ? address.authority() : authority,
          userAgent,
          connectTimeout,
          ctx.options().maxHeaderListSize(),
          compressorRegistry,
          address.attributes(),
          ctx.options().keepalive(),
          ctx.options().flowControl(),
          ctx.options().frameLimits());
    }

    @Override
    public void onStateChange(SubConnImpl subConn, SubConnState state) {
      if (state.state() == ConnectivityState.TRANSIENT_FAILURE) {
        pickerWrapper.setLastConnectionError(state.connectionError());
      } else if (state.state() == ConnectivityState.READY) {
        pickerWrapper.setLastConnectionError(null);
      }
      channelz.stateChanged(state.state());
      listener.onSubConnState(subConn, state);
      ctx.wiringChanged(); // connection counts
    }

    @Override
    public void onReadyLost(SubConnImpl subConn) {
      ctx.resolveNow();
    }

    @Override
    public void onTerminated(SubConnImpl subConn) {
      channelz.terminated();
      live.remove(subConn);
      if (shuttingDown && live.isEmpty()) {
        ctx.subConnsTerminated();
      }
    }
  }
}
