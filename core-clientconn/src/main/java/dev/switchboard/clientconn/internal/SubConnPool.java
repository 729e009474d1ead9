package dev.switchboard.clientconn.internal;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.spi.SubConnStateListener;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.TransportProvider;
import dev.switchboard.api.transport.TransportRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The channel's SubConns and the transport factory they share: creates SubConns for balancers,
 * looks the transport up by name on each connection attempt until it is found (so a transport
 * bundle deployed late is picked up), builds per-connection options, records connection errors
 * for pick failures, and tracks SubConns until they terminate. Serializer only.
 */
final class SubConnPool {
  private static final System.Logger LOG = System.getLogger(SubConnPool.class.getName());
  /** Largest header block accepted from servers. */
  static final int MAX_INBOUND_METADATA_SIZE = 8 * 1024;

  /** What the pool reports to its channel; called in the serializer. */
  interface Host {
    /** A READY connection was lost: re-resolve. */
    void resolveNow();

    /** Every SubConn has terminated after {@link #shutdownNow}. */
    void allTerminated();
  }

  private final Host host;
  private final SynchronizationContext syncContext;
  private final ChannelEnvironment env;
  private final BackoffConfig backoffConfig;
  private final TransportRegistry transportRegistry;
  private final String transportName;
  private final TransportCredentials credentials;
  private final CompressorRegistry compressorRegistry;
  private final String authority;
  private final String userAgent;
  private final PickerWrapper pickerWrapper;

  // Only touched in the serializer.
  private ClientTransportFactory factory;
  private final Set<SubConnImpl> live = new HashSet<>();
  private boolean shuttingDown;

  SubConnPool(Host host, SynchronizationContext syncContext, ChannelEnvironment env,
      BackoffConfig backoffConfig, TransportRegistry transportRegistry, String transportName,
      TransportCredentials credentials, CompressorRegistry compressorRegistry, String authority,
      String userAgent, PickerWrapper pickerWrapper) {
    this.host = host;
    this.syncContext = syncContext;
    this.env = env;
    this.backoffConfig = backoffConfig;
    this.transportRegistry = transportRegistry;
    this.transportName = transportName;
    this.credentials = credentials;
    this.compressorRegistry = compressorRegistry;
    this.authority = authority;
    this.userAgent = userAgent;
    this.pickerWrapper = pickerWrapper;
  }

  SubConnImpl newSubConn(List<Address> addresses, SubConnStateListener listener) {
    SubConnImpl sc = new SubConnImpl(addresses, new Callbacks(listener), syncContext,
        env.timer(), env.ticker(), new Backoff(backoffConfig, env.random()));
    live.add(sc);
    if (shuttingDown) {
      sc.shutdown();
    }
    return sc;
  }

  /** Shuts every SubConn down and closes their transports now. */
  void shutdownNow(Status reason) {
    shuttingDown = true;
    for (SubConnImpl sc : List.copyOf(live)) {
      sc.shutdownNow(reason);
    }
    if (live.isEmpty()) {
      host.allTerminated();
    }
  }

  boolean allTerminated() {
    return live.isEmpty();
  }

  /** Closes the transport factory, once every transport is gone. */
  void closeFactory() {
    if (factory != null) {
      try {
        factory.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "transport factory failed to close", e);
      }
      factory = null;
    }
  }

  private ClientTransportFactory transportFactory() throws StatusException {
    if (factory != null) {
      return factory;
    }
    if (shuttingDown) {
      throw Status.CANCELLED.withDescription("channel is closing").asException();
    }
    TransportProvider provider = transportRegistry.lookup(transportName);
    if (provider == null) {
      throw Status.UNAVAILABLE.withDescription("no transport '" + transportName
          + "' deployed (is its bundle deployed?)").asException();
    }
    try {
      factory = provider.newClientTransportFactory(credentials);
    } catch (RuntimeException e) {
      throw Status.UNAVAILABLE.withDescription("transport '" + transportName
          + "' cannot create connections with credentials " + credentials + ": " + e)
          .withCause(e).asException();
    }
    return factory;
  }

  /** One SubConn's link to the pool and to its balancer's listener. */
  private final class Callbacks implements SubConnImpl.Host {
    private final SubConnStateListener listener;

    Callbacks(SubConnStateListener listener) {
      this.listener = listener;
    }

    @Override
    public ClientTransportFactory transportFactory() throws StatusException {
      return SubConnPool.this.transportFactory();
    }

    @Override
    public ClientTransportOptions transportOptions(Address address, Duration connectTimeout) {
      return new ClientTransportOptions(
          address.authority() != null ? address.authority() : authority, userAgent,
          connectTimeout, MAX_INBOUND_METADATA_SIZE, compressorRegistry, address.attributes());
    }

    @Override
    public void onStateChange(SubConnImpl subConn, SubConnState state) {
      if (state.state() == ConnectivityState.TRANSIENT_FAILURE) {
        pickerWrapper.setLastConnectionError(state.connectionError());
      } else if (state.state() == ConnectivityState.READY) {
        pickerWrapper.setLastConnectionError(null);
      }
      listener.onSubConnState(subConn, state);
    }

    @Override
    public void onReadyLost(SubConnImpl subConn) {
      host.resolveNow();
    }

    @Override
    public void onTerminated(SubConnImpl subConn) {
      live.remove(subConn);
      if (shuttingDown && live.isEmpty()) {
        host.allTerminated();
      }
    }
  }
}
