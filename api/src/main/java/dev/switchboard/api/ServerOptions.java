package dev.switchboard.api;

import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a {@link Server} is configured: listen addresses, services, interceptors, executor and
 * limits. Immutable; build with {@link #newBuilder()}.
 *
 * @since 0.1
 */
public final class ServerOptions {
  /** Default largest inbound message: 4 MiB. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** Default largest inbound header block: 8 KiB. */
  public static final int DEFAULT_MAX_INBOUND_METADATA_SIZE = 8 * 1024;

  /** Default limit of calls open at once on one connection: 1000. */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION = 1000;

  /** Default time a new connection has to send its HTTP/2 preface: 20 s. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(20);

  /** Default limit of control frames queued for a peer that does not read: 10000. */
  public static final int DEFAULT_MAX_QUEUED_CONTROL_FRAMES = 10_000;

  /**
   * Default limit of RST_STREAM frames a client may send (and the server may send it) per {@link
   * #DEFAULT_RST_STREAM_WINDOW}: 1000, 100 per second on average, far above what cancelling clients
   * need and far below a Rapid Reset attack's tens of thousands per second.
   */
  public static final int DEFAULT_MAX_RST_STREAMS_PER_WINDOW = 1000;

  /** Default window RST_STREAM frames are counted over: 10 s. */
  public static final Duration DEFAULT_RST_STREAM_WINDOW = Duration.ofSeconds(10);

  /** Default shortest interval between a client's PINGs the server tolerates: 5 minutes. */
  public static final Duration DEFAULT_PERMIT_KEEPALIVE_TIME = Duration.ofMinutes(5);

  private final List<SocketAddress> addresses;
  private final List<ServiceDefinition> services;
  private final List<ServerInterceptor> interceptors;
  private final Executor executor;
  private final int maxInboundMessageSize;
  private final int maxInboundMetadataSize;
  private final int maxConcurrentCallsPerConnection;
  private final Duration handshakeTimeout;
  private final FrameLimits frameLimits;
  private final int maxRstStreamsPerWindow;
  private final Duration rstStreamWindow;
  private final Duration permitKeepAliveTime;
  private final boolean permitKeepAliveWithoutCalls;
  private final ServerKeepalive keepalive;
  private final FlowControl flowControl;
  private final TransportCredentials credentials;
  private final String transportName;
  private final TransportRegistry transportRegistry;
  private final CodecRegistry codecRegistry;
  private final CompressorRegistry compressorRegistry;
  private final List<TelemetryProvider> telemetry;
  private final boolean installedTelemetry;

  private ServerOptions(Builder b) {
    addresses = List.copyOf(b.addresses);
    services = List.copyOf(b.services);
    interceptors = List.copyOf(b.interceptors);
    executor = b.executor;
    maxInboundMessageSize = b.maxInboundMessageSize;
    maxInboundMetadataSize = b.maxInboundMetadataSize;
    maxConcurrentCallsPerConnection = b.maxConcurrentCallsPerConnection;
    handshakeTimeout = b.handshakeTimeout;
    frameLimits = b.frameLimits;
    maxRstStreamsPerWindow = b.maxRstStreamsPerWindow;
    rstStreamWindow = b.rstStreamWindow;
    permitKeepAliveTime = b.permitKeepAliveTime;
    permitKeepAliveWithoutCalls = b.permitKeepAliveWithoutCalls;
    keepalive = b.keepalive;
    flowControl = b.flowControl;
    credentials = b.credentials;
    transportName = b.transportName;
    transportRegistry = b.transportRegistry;
    codecRegistry = b.codecRegistry;
    compressorRegistry = b.compressorRegistry;
    telemetry = List.copyOf(b.telemetry);
    installedTelemetry = b.installedTelemetry;
  }

  /**
   * {@return a new builder with the defaults: no address (one is required), no services, no
   * credentials (they must be chosen), the {@value DialOptions#DEFAULT_TRANSPORT} transport,
   * default registries, the shared executor, 4 MiB messages, 8 KiB header blocks, 1000 concurrent
   * calls per connection, a 20 s handshake timeout, the flood limits of the {@code DEFAULT_*}
   * constants, {@link ServerKeepalive#DEFAULT}}
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** {@return where the server listens, in the order added; immutable, never empty} */
  public List<SocketAddress> addresses() {
    return addresses;
  }

  /** {@return the services the server dispatches to, immutable} */
  public List<ServiceDefinition> services() {
    return services;
  }

  /**
   * {@return the interceptors applied to every call, immutable, the first one seeing each call
   * first}
   */
  public List<ServerInterceptor> interceptors() {
    return interceptors;
  }

  /**
   * {@return the executor for handler callbacks, or {@code null} for the shared default pool} See
   * {@link Builder#executor(Executor)}.
   */
  public Executor executor() {
    return executor;
  }

  /**
   * {@return the largest request message accepted, in bytes} A larger one ends its call with
   * RESOURCE_EXHAUSTED.
   */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  /**
   * {@return the largest request header block accepted, in bytes (HTTP/2 {@code
   * SETTINGS_MAX_HEADER_LIST_SIZE})} A larger one is refused with HTTP 431 and RESOURCE_EXHAUSTED.
   */
  public int maxInboundMetadataSize() {
    return maxInboundMetadataSize;
  }

  /**
   * {@return how many calls one connection may have open at once (HTTP/2 {@code
   * SETTINGS_MAX_CONCURRENT_STREAMS})}
   */
  public int maxConcurrentCallsPerConnection() {
    return maxConcurrentCallsPerConnection;
  }

  /**
   * {@return how long a new connection may take to send its HTTP/2 preface before it is closed}
   * With TLS, the TLS handshake has the same limit, counted before the preface's.
   */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * {@return how many control frames (SETTINGS and PING acknowledgements, RST_STREAM) may wait for
   * a peer that does not read before its connection is closed}
   */
  public int maxQueuedControlFrames() {
    return frameLimits.maxQueuedControlFrames();
  }

  /**
   * {@return the limits on control, empty DATA and CONTINUATION frames}
   *
   * @since 0.3
   */
  public FrameLimits frameLimits() {
    return frameLimits;
  }

  /**
   * {@return how many RST_STREAM frames a client may send per {@link #rstStreamWindow()} before its
   * connection is closed}
   */
  public int maxRstStreamsPerWindow() {
    return maxRstStreamsPerWindow;
  }

  /** {@return the window {@link #maxRstStreamsPerWindow()} counts over} */
  public Duration rstStreamWindow() {
    return rstStreamWindow;
  }

  /** {@return the shortest interval between a client's PINGs the server tolerates} */
  public Duration permitKeepAliveTime() {
    return permitKeepAliveTime;
  }

  /** {@return whether client PINGs are tolerated on a connection without calls} */
  public boolean permitKeepAliveWithoutCalls() {
    return permitKeepAliveWithoutCalls;
  }

  /**
   * {@return the server's keepalive PINGs and connection idle and age limits; {@link
   * ServerKeepalive#DEFAULT} by default}
   *
   * @since 0.3
   */
  public ServerKeepalive keepalive() {
    return keepalive;
  }

  /**
   * {@return the HTTP/2 flow control of accepted connections; {@link FlowControl#DEFAULT} by
   * default}
   *
   * @since 0.3
   */
  public FlowControl flowControl() {
    return flowControl;
  }

  /** {@return how connections are secured} */
  public TransportCredentials credentials() {
    return credentials;
  }

  /** {@return the name of the transport provider the server listens with} */
  public String transportName() {
    return transportName;
  }

  /**
   * {@return the registry the transport is looked up in when the server starts, or {@code null} for
   * {@link TransportRegistry#getDefaultRegistry()}}
   */
  public TransportRegistry transportRegistry() {
    return transportRegistry;
  }

  /**
   * {@return the registry codecs are looked up in by a method's codec name, or {@code null} for
   * {@link CodecRegistry#getDefaultRegistry()}}
   */
  public CodecRegistry codecRegistry() {
    return codecRegistry;
  }

  /**
   * {@return the registry compressors ({@code grpc-encoding}) are looked up in, or {@code null} for
   * {@link CompressorRegistry#getDefaultRegistry()}}
   */
  public CompressorRegistry compressorRegistry() {
    return compressorRegistry;
  }

  /**
   * {@return the telemetry providers given to this server, in the order added} They trace its calls
   * besides the installed ones (see {@link #installedTelemetry()}).
   *
   * @since 0.3
   */
  public List<TelemetryProvider> telemetry() {
    return telemetry;
  }

  /**
   * {@return whether the providers of {@link TelemetryRegistry#getDefaultRegistry()} trace this
   * server's calls too (true by default)}
   *
   * @since 0.3
   */
  public boolean installedTelemetry() {
    return installedTelemetry;
  }

  /** Builds {@link ServerOptions}. Not thread-safe; each setter returns this builder. */
  public static final class Builder {
    private final List<TelemetryProvider> telemetry = new ArrayList<>();
    private boolean installedTelemetry = true;
    private final List<SocketAddress> addresses = new ArrayList<>();
    private final List<ServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private Executor executor;
    private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private int maxInboundMetadataSize = DEFAULT_MAX_INBOUND_METADATA_SIZE;
    private int maxConcurrentCallsPerConnection = DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private FrameLimits frameLimits = FrameLimits.DEFAULT;
    private int maxRstStreamsPerWindow = DEFAULT_MAX_RST_STREAMS_PER_WINDOW;
    private Duration rstStreamWindow = DEFAULT_RST_STREAM_WINDOW;
    private Duration permitKeepAliveTime = DEFAULT_PERMIT_KEEPALIVE_TIME;
    private boolean permitKeepAliveWithoutCalls;
    private ServerKeepalive keepalive = ServerKeepalive.DEFAULT;
    private FlowControl flowControl = FlowControl.DEFAULT;
    private TransportCredentials credentials;
    private String transportName = DialOptions.DEFAULT_TRANSPORT;
    private TransportRegistry transportRegistry;
    private CodecRegistry codecRegistry;
    private CompressorRegistry compressorRegistry;

    private Builder() {}

    /**
     * Listens on {@code address}, in addition to the addresses added before.
     *
     * @param address an address the transport supports (Netty: an {@link InetSocketAddress}, where
     *     port 0 picks a free port, see {@link Server#listenAddresses()}; a {@link
     *     java.net.UnixDomainSocketAddress}; or, with Netty's epoll transport, a {@link
     *     UnixAbstractAddress})
     * @return this builder
     */
    public Builder listen(SocketAddress address) {
      addresses.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /**
     * Listens on {@code host:port}, in addition to the addresses added before.
     *
     * @param host a host name or IP literal, resolved now
     * @param port the port; 0 picks a free port, see {@link Server#port()}
     * @return this builder
     */
    public Builder listen(String host, int port) {
      return listen(new InetSocketAddress(host, port));
    }

    /**
     * Listens on all interfaces (the wildcard address) at {@code port}, in addition to the
     * addresses added before.
     *
     * @param port the port; 0 picks a free port, see {@link Server#port()}
     * @return this builder
     */
    public Builder port(int port) {
      return listen(new InetSocketAddress(port));
    }

    /**
     * Adds a service, such as a generated {@code ImplBase}'s {@code bindService()}. Two services of
     * the same name make {@code Servers.newServer} throw. A running server binds more with {@link
     * Server#addService}.
     *
     * @param service the service, not null
     * @return this builder
     */
    public Builder addService(ServiceDefinition service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * Adds interceptors applied to every call, after any added before; the first added sees each
     * call first.
     *
     * @param interceptors the interceptors, none null
     * @return this builder
     */
    public Builder intercept(ServerInterceptor... interceptors) {
      this.interceptors.addAll(List.of(interceptors));
      return this;
    }

    /**
     * Sets the executor that runs handler callbacks: the service methods and their request
     * observers, the {@link ServerCallListener} methods and interceptors' {@code interceptCall}.
     * Callbacks of one call run one at a time, in order; different calls may run in parallel.
     *
     * <p>By default ({@code null}) a work-stealing {@link java.util.concurrent.ForkJoinPool} of one
     * daemon thread per core, named {@code switchboard-server-N} and shared by all servers, runs
     * them: the fastest choice for handlers that do not block. A handler that blocks (on I/O, a
     * lock, a sleep) holds one of those few threads meanwhile, so servers with such handlers should
     * give an executor sized for them, such as {@code Executors.newCachedThreadPool()} or, on Java
     * 21+, {@code Executors.newVirtualThreadPerTaskExecutor()}. Switchboard's own blocking stubs,
     * called from a handler, wait as a {@link java.util.concurrent.ForkJoinPool#managedBlock
     * managed block}, so the default pool adds a thread while they wait. A direct executor ({@code
     * Runnable::run}) runs them on the transport's event-loop thread: fastest for handlers that
     * never block, and stalling every call of the connection for those that do. The server never
     * shuts down an executor given here: the caller owns it, and must keep it running until the
     * server has terminated.
     *
     * @param executor the executor, or {@code null} for the shared default
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Sets the largest request message accepted; a larger one ends its call with
     * RESOURCE_EXHAUSTED, detected before the message is buffered.
     *
     * @param bytes the limit, at least 0 ({@value #DEFAULT_MAX_INBOUND_MESSAGE_SIZE} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public Builder maxInboundMessageSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative size");
      }
      maxInboundMessageSize = bytes;
      return this;
    }

    /**
     * Sets the largest request header block accepted, advertised to clients as HTTP/2 {@code
     * SETTINGS_MAX_HEADER_LIST_SIZE}; a larger one is refused with HTTP 431 and RESOURCE_EXHAUSTED.
     *
     * @param bytes the limit, positive ({@value #DEFAULT_MAX_INBOUND_METADATA_SIZE} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    public Builder maxInboundMetadataSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("size must be positive");
      }
      maxInboundMetadataSize = bytes;
      return this;
    }

    /**
     * Limits how many calls one connection may have open at once, advertised to clients as HTTP/2
     * {@code SETTINGS_MAX_CONCURRENT_STREAMS}; clients queue calls beyond it.
     *
     * @param calls the limit, positive ({@value #DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION} by
     *     default; {@link Integer#MAX_VALUE} for no limit)
     * @return this builder
     * @throws IllegalArgumentException when {@code calls} is not positive
     */
    public Builder maxConcurrentCallsPerConnection(int calls) {
      if (calls <= 0) {
        throw new IllegalArgumentException("must be positive");
      }
      maxConcurrentCallsPerConnection = calls;
      return this;
    }

    /**
     * Sets how long a new connection may take to send its HTTP/2 preface; one that is slower is
     * closed.
     *
     * @param timeout the limit, not null (20 s by default)
     * @return this builder
     */
    public Builder handshakeTimeout(Duration timeout) {
      handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Limits how many control frames the server's HTTP/2 codec produces on its own (SETTINGS and
     * PING acknowledgements, RST_STREAM) may wait to be written to a peer; a peer that keeps asking
     * for them without reading is disconnected with GOAWAY ENHANCE_YOUR_CALM when the limit is
     * reached, instead of filling the server's memory.
     *
     * @param frames the limit, positive ({@value #DEFAULT_MAX_QUEUED_CONTROL_FRAMES} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code frames} is not positive
     */
    public Builder maxQueuedControlFrames(int frames) {
      if (frames <= 0) {
        throw new IllegalArgumentException("must be positive");
      }
      frameLimits = frameLimits.withMaxQueuedControlFrames(frames);
      return this;
    }

    /**
     * Sets the limits on frames a client may send or provoke without making a request: queued
     * control frames (the same as {@link #maxQueuedControlFrames}), consecutive empty DATA frames,
     * small CONTINUATION frames per header block. A client over one is disconnected with GOAWAY
     * ENHANCE_YOUR_CALM.
     *
     * @param limits the limits ({@link FrameLimits#DEFAULT} by default)
     * @return this builder
     * @since 0.3
     */
    public Builder frameLimits(FrameLimits limits) {
      frameLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Limits how many RST_STREAM frames a client may send on one connection per {@code window}; one
     * that sends more (HEADERS then RST_STREAM in a loop: Rapid Reset, CVE-2023-44487) is
     * disconnected with GOAWAY ENHANCE_YOUR_CALM. The same limit applies to the RST_STREAM frames
     * the server sends, which a client can provoke with invalid frames.
     *
     * @param frames the limit, positive ({@value #DEFAULT_MAX_RST_STREAMS_PER_WINDOW} by default)
     * @param window the window, at least one second, counted in whole seconds ({@link
     *     #DEFAULT_RST_STREAM_WINDOW} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code frames} is not positive or {@code window} is
     *     shorter than one second
     */
    public Builder maxRstStreamsPerWindow(int frames, Duration window) {
      Objects.requireNonNull(window, "window");
      if (frames <= 0) {
        throw new IllegalArgumentException("must be positive");
      }
      if (window.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("window shorter than one second");
      }
      maxRstStreamsPerWindow = frames;
      rstStreamWindow = window;
      return this;
    }

    /**
     * Sets the shortest interval between a client's PINGs the server tolerates (gRFC A8). A PING
     * that comes sooner after the previous one, with no headers or data sent by the server between
     * them, is a strike; on the third strike the connection is closed with GOAWAY ENHANCE_YOUR_CALM
     * and debug data {@code too_many_pings}. Should be no longer than the keepalive time clients
     * are configured with.
     *
     * @param time the interval, not negative ({@link #DEFAULT_PERMIT_KEEPALIVE_TIME} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code time} is negative
     */
    public Builder permitKeepAliveTime(Duration time) {
      Objects.requireNonNull(time, "time");
      if (time.isNegative()) {
        throw new IllegalArgumentException("negative time");
      }
      permitKeepAliveTime = time;
      return this;
    }

    /**
     * Sets whether clients may send PINGs at {@link #permitKeepAliveTime(Duration)} on a connection
     * without calls. When not (the default), such PINGs are tolerated only two hours apart.
     *
     * @param permit whether to tolerate them ({@code false} by default)
     * @return this builder
     */
    public Builder permitKeepAliveWithoutCalls(boolean permit) {
      permitKeepAliveWithoutCalls = permit;
      return this;
    }

    /**
     * Sets the server's keepalive PINGs (gRFC A8) and its connection idle and age limits (gRFC A9);
     * see {@link ServerKeepalive}.
     *
     * @param keepalive the settings, not null ({@link ServerKeepalive#DEFAULT} by default: a PING
     *     after 2 hours without reads, 20 s to answer it, no idle or age limit)
     * @return this builder
     * @since 0.3
     */
    public Builder keepalive(ServerKeepalive keepalive) {
      this.keepalive = Objects.requireNonNull(keepalive, "keepalive");
      return this;
    }

    /**
     * Sets the HTTP/2 flow control of accepted connections: the windows they advertise to clients
     * and their auto-tuning. See {@link FlowControl}.
     *
     * @param flowControl the settings, not null ({@link FlowControl#DEFAULT} by default)
     * @return this builder
     * @since 0.3
     */
    public Builder flowControl(FlowControl flowControl) {
      this.flowControl = Objects.requireNonNull(flowControl, "flowControl");
      return this;
    }

    /**
     * Sets how connections are secured.
     *
     * @param credentials the credentials, not null (there is no default: {@link #build()} fails
     *     until they are chosen); the transport rejects kinds it does not support when the server
     *     starts
     * @return this builder
     */
    public Builder credentials(TransportCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Chooses plaintext (h2c with prior knowledge): shorthand for {@code
     * credentials(TransportCredentials.insecure())}.
     *
     * @return this builder
     * @since 0.3
     */
    public Builder insecure() {
      return credentials(TransportCredentials.insecure());
    }

    /**
     * Names the transport provider the server listens with, looked up in the transport registry
     * when the server starts; {@link Server#start()} throws when none of that name is deployed.
     *
     * @param name the provider name, not null ({@value DialOptions#DEFAULT_TRANSPORT} by default)
     * @return this builder
     */
    public Builder transport(String name) {
      transportName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Uses this registry for the transport instead of the default one.
     *
     * @param registry the registry, or {@code null} for {@link
     *     TransportRegistry#getDefaultRegistry()}
     * @return this builder
     */
    public Builder transportRegistry(TransportRegistry registry) {
      transportRegistry = registry;
      return this;
    }

    /**
     * Uses this registry for codecs instead of the default one.
     *
     * @param registry the registry, or {@code null} for {@link CodecRegistry#getDefaultRegistry()}
     * @return this builder
     */
    public Builder codecRegistry(CodecRegistry registry) {
      codecRegistry = registry;
      return this;
    }

    /**
     * Uses this registry for compressors instead of the default one.
     *
     * @param registry the registry, or {@code null} for {@link
     *     CompressorRegistry#getDefaultRegistry()}
     * @return this builder
     */
    public Builder compressorRegistry(CompressorRegistry registry) {
      compressorRegistry = registry;
      return this;
    }

    /**
     * Adds a telemetry provider of this server's own: its server call tracer factory is asked for a
     * tracer when each call arrives, besides the installed providers' (its {@code isAvailable()}
     * and name are not consulted).
     *
     * @param provider the provider, not null
     * @return this builder
     * @since 0.3
     */
    public Builder addTelemetry(TelemetryProvider provider) {
      telemetry.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Whether the providers installed in {@link TelemetryRegistry#getDefaultRegistry()} trace this
     * server's calls (as they are when each call arrives); true by default. With false only the
     * providers {@linkplain #addTelemetry added} here do.
     *
     * @param enabled false to leave the installed providers out
     * @return this builder
     * @since 0.3
     */
    public Builder installedTelemetry(boolean enabled) {
      this.installedTelemetry = enabled;
      return this;
    }

    /**
     * {@return new, immutable options holding what was set}
     *
     * @throws IllegalStateException when no listen address was added or no credentials chosen
     */
    public ServerOptions build() {
      if (addresses.isEmpty()) {
        throw new IllegalStateException("no listen address: call port(...) or listen(...)");
      }
      if (credentials == null) {
        throw new IllegalStateException(
            "no transport credentials: choose credentials(TlsCredentials.newBuilder()...build()) "
                + "or insecure() explicitly");
      }
      return new ServerOptions(this);
    }
  }
}
