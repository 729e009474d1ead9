package dev.switchboard.server.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerMethodDefinition;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.channelz.ChannelzRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.transport.ServerConnection;
import dev.switchboard.api.transport.ServerConnectionListener;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportListener;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.ServerTransportStream;
import dev.switchboard.api.transport.TransportProvider;
import dev.switchboard.api.transport.TransportRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Server}: owns the transport and the live connections, and decides when the server has
 * terminated. Calls themselves are the {@link StreamDispatcher}'s business.
 *
 * <p>Providers are leased as on the client: the transport provider from start until the server has
 * terminated, each call's codec for the call (see {@link CallMarshallers}). When the transport's
 * lease is revoked (its provider left, see {@code ProviderRegistry.revoke}) the server shuts down
 * now: its listener stops, its connections close, and it does not start again by itself.
 *
 * <p>Services are bound in a {@link ServiceRegistry}, from the options and then by {@link
 * #addService} and friends at any time; a service bound after start gets the same codec check.
 *
 * <p>Lifecycle: {@link #start} creates the transport named by the options and starts it, then logs
 * a WARNING for each codec some method needs that is not deployed ({@link CodecCheck}); a start
 * that fails for want of a transport can be retried, one whose transport failed to bind leaves the
 * server terminated. {@link #shutdown} stops the listener and sends every connection a GOAWAY;
 * {@link #shutdownNow} also closes every connection at once, cancelling its calls. The server is
 * terminated once shut down, the transport has stopped listening and every connection has ended.
 * Connections accepted after shutdown are shut down as they arrive.
 *
 * <p>Thread-safe. State is guarded by {@link #lock}; nothing calls into the transport while holding
 * it, so transport threads may call back in at any time.
 */
public final class ServerImpl implements Server {
  private static final System.Logger LOG = System.getLogger(ServerImpl.class.getName());
  private static final Status SHUTDOWN_NOW =
      Status.UNAVAILABLE.withDescription("server shutting down");

  private final ServerOptions options;
  private final CompressorRegistry compressors;
  private final CodecRegistry codecs;
  private final ServiceRegistry services;
  private final StreamDispatcher dispatcher;
  private final ChannelzServer channelz = new ChannelzServer(ChannelzRegistry.getDefault());

  private final Object lock = new Object();
  // Guarded by lock.
  private ServerTransport transport;

  /** The transport provider, leased until the server has terminated; null before start. */
  private Lease<TransportProvider> transportLease;

  private boolean started;
  private boolean shutdown;
  private boolean shutdownNow;
  private Status shutdownNowReason = SHUTDOWN_NOW;
  private boolean transportStopped;
  private boolean terminated;
  private final Set<ServerConnection> connections = new HashSet<>();

  /** {@link #onShutdown} actions, run and cleared by the first shutdown. */
  private final List<Runnable> shutdownActions = new ArrayList<>();

  /**
   * A server using the shared deadline timer.
   *
   * @throws IllegalArgumentException when two services have the same name
   */
  public ServerImpl(ServerOptions options) {
    this(options, SharedResources.timer());
  }

  /** A server whose deadlines fire on {@code timer}; for tests with fake time. */
  ServerImpl(ServerOptions options, ScheduledExecutorService timer) {
    this.options = Objects.requireNonNull(options, "options");
    this.compressors =
        options.compressorRegistry() != null
            ? options.compressorRegistry()
            : CompressorRegistry.getDefaultRegistry();
    this.codecs =
        options.codecRegistry() != null
            ? options.codecRegistry()
            : CodecRegistry.getDefaultRegistry();
    Executor executor =
        options.executor() != null ? options.executor() : SharedResources.executor();
    this.services = new ServiceRegistry(options.services(), options.interceptors());
    this.dispatcher =
        new StreamDispatcher(
            services,
            codecs,
            compressors,
            executor,
            Objects.requireNonNull(timer, "timer"),
            new ServerTelemetry(options));
  }

  @Override
  public Server start() throws IOException {
    ServerTransport created;
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException("server already started");
      }
      if (shutdown) {
        throw new IllegalStateException("server is shut down");
      }
      created = newTransport();
      transport = created;
      started = true;
    }
    try {
      created.start(new TransportListener());
    } catch (IOException | RuntimeException e) {
      synchronized (lock) {
        shutdown = true;
        transportStopped = true;
        checkTerminated();
      }
      throw e;
    }
    channelz.started(created.listenAddresses());
    // Outside the lock: a lease revoked already runs the action at once, here.
    transportLease.onRevoked(this::transportRevoked);
    warnMissingCodecs(services.methods());
    return this;
  }

  /**
   * The registry revoked the transport's lease: its provider left and its code is about to go (an
   * OSGi bundle being refreshed). The server stops listening and closes every connection now, as
   * {@link #shutdownNow}, failing their calls; it does not start again by itself. Runs on the
   * revoking thread.
   */
  private void transportRevoked() {
    Status reason =
        Status.UNAVAILABLE.withDescription(
            "transport provider '"
                + options.transportName()
                + "' from "
                + transportLease.registration().origin()
                + " left; the server was shut down");
    LOG.log(System.Logger.Level.WARNING, "server on {0}: {1}", options.addresses(), reason);
    shutdownNow(reason);
  }

  private void warnMissingCodecs(Collection<ServerMethodDefinition<?, ?>> methods) {
    for (String warning : CodecCheck.missing(methods, codecs)) {
      LOG.log(System.Logger.Level.WARNING, "server on {0}: {1}", options.addresses(), warning);
    }
  }

  @Override
  public Server addService(ServiceDefinition service) {
    services.add(service);
    bound(service, null);
    return this;
  }

  @Override
  public ServiceDefinition replaceService(ServiceDefinition service) {
    ServiceDefinition previous = services.replace(service);
    bound(service, previous);
    return previous;
  }

  @Override
  public ServiceDefinition removeService(String serviceName) {
    ServiceDefinition removed = services.remove(serviceName);
    if (removed != null) {
      unbound(removed);
    }
    return removed;
  }

  @Override
  public boolean removeService(ServiceDefinition service) {
    boolean removed = services.remove(service);
    if (removed) {
      unbound(service);
    }
    return removed;
  }

  @Override
  public List<ServiceDefinition> services() {
    return services.services();
  }

  private void bound(ServiceDefinition service, ServiceDefinition previous) {
    LOG.log(
        System.Logger.Level.DEBUG,
        "server on {0}: service {1} {2}",
        options.addresses(),
        service.getServiceName(),
        previous == null ? "added" : "replaced");
    boolean checkCodecs;
    synchronized (lock) {
      checkCodecs = started; // else start checks every method
    }
    if (checkCodecs) {
      warnMissingCodecs(service.getMethods());
    }
  }

  private void unbound(ServiceDefinition service) {
    LOG.log(
        System.Logger.Level.DEBUG,
        "server on {0}: service {1} removed; its calls in flight run to completion",
        options.addresses(),
        service.getServiceName());
  }

  private ServerTransport newTransport() {
    TransportRegistry registry =
        options.transportRegistry() != null
            ? options.transportRegistry()
            : TransportRegistry.getDefaultRegistry();
    String name = options.transportName();
    Lease<TransportProvider> lease = registry.acquire(name);
    if (lease == null) {
      throw new IllegalStateException(
          "no transport '"
              + name
              + "' deployed (deployed: "
              + new TreeSet<>(registry.providers().keySet())
              + "): "
              + registry.howToDeploy(name));
    }
    try {
      ServerTransport created =
          lease
              .provider()
              .newServerTransport(
                  new ServerTransportOptions(
                      options.addresses(),
                      options.credentials(),
                      options.maxInboundMessageSize(),
                      options.maxInboundMetadataSize(),
                      options.maxConcurrentCallsPerConnection(),
                      options.handshakeTimeout(),
                      compressors,
                      options.frameLimits(),
                      options.maxRstStreamsPerWindow(),
                      options.rstStreamWindow(),
                      options.permitKeepAliveTime(),
                      options.permitKeepAliveWithoutCalls(),
                      options.keepalive(),
                      options.flowControl()));
      if (created == null) {
        throw new IllegalStateException(
            "transport '"
                + name
                + "' from "
                + lease.registration().origin()
                + " created no server transport");
      }
      transportLease = lease;
      return created;
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  @Override
  public List<SocketAddress> listenAddresses() {
    ServerTransport current;
    synchronized (lock) {
      if (!started) {
        throw new IllegalStateException("server not started");
      }
      current = transport;
    }
    return current.listenAddresses();
  }

  @Override
  public int port() {
    for (SocketAddress address : listenAddresses()) {
      if (address instanceof InetSocketAddress inet) {
        return inet.getPort();
      }
    }
    return -1;
  }

  @Override
  public Server shutdown() {
    ServerTransport current;
    List<ServerConnection> live;
    List<Runnable> actions;
    synchronized (lock) {
      if (shutdown) {
        return this;
      }
      shutdown = true;
      current = transport;
      if (current == null) {
        transportStopped = true; // never started: nothing is listening
      }
      live = List.copyOf(connections);
      actions = List.copyOf(shutdownActions);
      shutdownActions.clear();
      checkTerminated();
    }
    // Before the GOAWAYs: the actions may still tell clients on open calls.
    for (Runnable action : actions) {
      runShutdownAction(action);
    }
    if (current != null) {
      current.shutdown();
    }
    for (ServerConnection connection : live) {
      connection.shutdown();
    }
    return this;
  }

  @Override
  public Server onShutdown(Runnable action) {
    Objects.requireNonNull(action, "action");
    synchronized (lock) {
      if (!shutdown) {
        shutdownActions.add(action);
        return this;
      }
    }
    runShutdownAction(action); // shut down already
    return this;
  }

  private static void runShutdownAction(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "shutdown action " + action + " failed", e);
    }
  }

  @Override
  public Server shutdownNow() {
    return shutdownNow(SHUTDOWN_NOW);
  }

  private Server shutdownNow(Status reason) {
    shutdown();
    List<ServerConnection> live;
    synchronized (lock) {
      if (shutdownNow) {
        return this;
      }
      shutdownNow = true;
      shutdownNowReason = reason;
      live = List.copyOf(connections);
    }
    for (ServerConnection connection : live) {
      connection.shutdownNow(reason);
    }
    return this;
  }

  @Override
  public boolean isShutdown() {
    synchronized (lock) {
      return shutdown;
    }
  }

  @Override
  public boolean isTerminated() {
    synchronized (lock) {
      return terminated;
    }
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (lock) {
      while (!terminated) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    synchronized (lock) {
      while (!terminated) {
        lock.wait();
      }
    }
  }

  // Holds lock.
  private void checkTerminated() {
    if (!terminated && shutdown && transportStopped && connections.isEmpty()) {
      terminated = true;
      channelz.terminated(); // a leaf: takes only its own monitor
      if (transportLease != null) {
        transportLease.close(); // nothing of the transport is in use any more
      }
      lock.notifyAll();
      LOG.log(System.Logger.Level.DEBUG, "server terminated");
    }
  }

  @Override
  public String toString() {
    return "Server(" + options.addresses() + ")";
  }

  /** Receives the transport's connections and its end of listening. */
  private final class TransportListener implements ServerTransportListener {
    @Override
    public ServerConnectionListener connectionCreated(ServerConnection connection) {
      channelz.connectionCreated(connection);
      boolean closeGracefully;
      Status closeNow;
      synchronized (lock) {
        connections.add(connection);
        closeGracefully = shutdown;
        closeNow = shutdownNow ? shutdownNowReason : null;
      }
      if (closeNow != null) {
        connection.shutdownNow(closeNow);
      } else if (closeGracefully) {
        connection.shutdown();
      }
      return new ConnectionHandler(connection);
    }

    @Override
    public void serverShutdown() {
      synchronized (lock) {
        transportStopped = true;
        checkTerminated();
      }
    }
  }

  /** One connection's streams go to the dispatcher; its end is counted for termination. */
  private final class ConnectionHandler implements ServerConnectionListener {
    private final ServerConnection connection;

    ConnectionHandler(ServerConnection connection) {
      this.connection = connection;
    }

    @Override
    public void streamCreated(
        ServerTransportStream stream, String fullMethodName, Metadata headers) {
      dispatcher.dispatch(stream, fullMethodName, headers);
    }

    @Override
    public void connectionTerminated() {
      channelz.connectionTerminated(connection);
      synchronized (lock) {
        connections.remove(connection);
        checkTerminated();
      }
    }
  }
}
