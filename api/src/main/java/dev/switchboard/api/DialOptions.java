package dev.switchboard.api;

import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a {@link ClientConn} is created, in the spirit of grpc-go's {@code DialOption}s. Immutable;
 * build with {@link #newBuilder()}. Transport credentials are mandatory: {@link Builder#build()}
 * refuses to build without them, so plaintext is never chosen silently.
 *
 * @since 0.1
 */
public final class DialOptions {
  /** Default largest inbound message: 4 MiB. */
  public static final int DEFAULT_MAX_RECEIVE_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** Default largest header block (response headers or trailers) accepted: 8 KiB. */
  public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 8 * 1024;

  /** Transport used when none is named. */
  public static final String DEFAULT_TRANSPORT = "netty";

  /**
   * How long, by default, a channel waits for a missing provider before failing calls: 5 s. See
   * {@link Builder#providerGrace(Duration)}.
   *
   * @since 0.2
   */
  public static final Duration DEFAULT_PROVIDER_GRACE = Duration.ofSeconds(5);

  /**
   * How long, by default, a channel without calls stays connected before going IDLE: 30 min, as in
   * grpc-java. See {@link Builder#idleTimeout(Duration)}.
   *
   * @since 0.3
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

  /**
   * The shortest idle timeout {@link Builder#idleTimeout(Duration)} accepts: 1 s.
   *
   * @since 0.3
   */
  public static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(1);

  private final TransportCredentials credentials;
  private final String authority;
  private final String userAgent;
  private final List<ClientInterceptor> interceptors;
  private final CallOptions defaultCallOptions;
  private final int maxSendMessageSize;
  private final int maxReceiveMessageSize;
  private final int maxHeaderListSize;
  private final FrameLimits frameLimits;
  private final BackoffConfig backoff;
  private final ClientKeepalive keepalive;
  private final FlowControl flowControl;
  private final String defaultServiceConfigJson;
  private final boolean serviceConfigLookupDisabled;
  private final boolean retryDisabled;
  private final boolean healthCheckDisabled;
  private final RetryBufferLimits retryBufferLimits;
  private final Duration blockTimeout; // null = don't block
  private final Duration idleTimeout; // null = never idle
  private final Executor executor;
  private final String transportName;
  private final Duration providerGrace;
  private final BalancerRegistry balancerRegistry;
  private final ResolverRegistry resolverRegistry;
  private final TransportRegistry transportRegistry;
  private final CodecRegistry codecRegistry;
  private final CompressorRegistry compressorRegistry;
  private final HttpConnectProxy proxy; // explicit, or null
  private final boolean proxyFromEnvironment;
  private final List<TelemetryProvider> telemetry;
  private final boolean installedTelemetry;

  private DialOptions(Builder b) {
    credentials = b.credentials;
    authority = b.authority;
    userAgent = b.userAgent;
    interceptors = List.copyOf(b.interceptors);
    defaultCallOptions = b.defaultCallOptions;
    maxSendMessageSize = b.maxSendMessageSize;
    maxReceiveMessageSize = b.maxReceiveMessageSize;
    maxHeaderListSize = b.maxHeaderListSize;
    frameLimits = b.frameLimits;
    backoff = b.backoff;
    keepalive = b.keepalive;
    flowControl = b.flowControl;
    defaultServiceConfigJson = b.defaultServiceConfigJson;
    serviceConfigLookupDisabled = b.serviceConfigLookupDisabled;
    retryDisabled = b.retryDisabled;
    healthCheckDisabled = b.healthCheckDisabled;
    retryBufferLimits = b.retryBufferLimits;
    blockTimeout = b.blockTimeout;
    idleTimeout = b.idleTimeout;
    executor = b.executor;
    transportName = b.transportName;
    providerGrace = b.providerGrace;
    balancerRegistry = b.balancerRegistry;
    resolverRegistry = b.resolverRegistry;
    transportRegistry = b.transportRegistry;
    codecRegistry = b.codecRegistry;
    compressorRegistry = b.compressorRegistry;
    proxy = b.proxy;
    proxyFromEnvironment = b.proxyFromEnvironment;
    telemetry = List.copyOf(b.telemetry);
    installedTelemetry = b.installedTelemetry;
  }

  /**
   * {@return a new builder with the defaults: no credentials (they must be chosen), the {@value
   * #DEFAULT_TRANSPORT} transport, default registries, {@link BackoffConfig#DEFAULT}, 4 MiB inbound
   * and unlimited outbound messages, no interceptors, non-blocking creation, no keepalive}
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** {@return a new builder holding these options, to derive changed options from them} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.credentials = credentials;
    b.authority = authority;
    b.userAgent = userAgent;
    b.interceptors.addAll(interceptors);
    b.defaultCallOptions = defaultCallOptions;
    b.maxSendMessageSize = maxSendMessageSize;
    b.maxReceiveMessageSize = maxReceiveMessageSize;
    b.maxHeaderListSize = maxHeaderListSize;
    b.frameLimits = frameLimits;
    b.backoff = backoff;
    b.keepalive = keepalive;
    b.flowControl = flowControl;
    b.defaultServiceConfigJson = defaultServiceConfigJson;
    b.serviceConfigLookupDisabled = serviceConfigLookupDisabled;
    b.retryDisabled = retryDisabled;
    b.healthCheckDisabled = healthCheckDisabled;
    b.retryBufferLimits = retryBufferLimits;
    b.blockTimeout = blockTimeout;
    b.idleTimeout = idleTimeout;
    b.executor = executor;
    b.transportName = transportName;
    b.providerGrace = providerGrace;
    b.balancerRegistry = balancerRegistry;
    b.resolverRegistry = resolverRegistry;
    b.transportRegistry = transportRegistry;
    b.codecRegistry = codecRegistry;
    b.compressorRegistry = compressorRegistry;
    b.proxy = proxy;
    b.proxyFromEnvironment = proxyFromEnvironment;
    b.telemetry.addAll(telemetry);
    b.installedTelemetry = installedTelemetry;
    return b;
  }

  /** {@return how connections are secured, never null} */
  public TransportCredentials credentials() {
    return credentials;
  }

  /**
   * {@return the {@code :authority} for every call, or {@code null} to derive it from the target}
   * An authority attached to a resolved {@link dev.switchboard.api.spi.Address} takes precedence
   * for that address, and {@link CallOptions#withAuthority} for one call.
   */
  public String authority() {
    return authority;
  }

  /**
   * {@return the prefix put before Switchboard's own {@code user-agent} header value, or {@code
   * null} for none}
   */
  public String userAgent() {
    return userAgent;
  }

  /** {@return the channel's interceptors, immutable, the first one seeing each call first} */
  public List<ClientInterceptor> interceptors() {
    return interceptors;
  }

  /**
   * {@return the call options every call starts from} A value set in the options passed to a call
   * wins (see {@link CallOptions#withDefaults}).
   */
  public CallOptions defaultCallOptions() {
    return defaultCallOptions;
  }

  /**
   * {@return the largest message a call may send, in bytes (serialized, before compression), unless
   * its call options set another; {@link Integer#MAX_VALUE} by default} A larger message fails the
   * call with RESOURCE_EXHAUSTED.
   */
  public int maxSendMessageSize() {
    return maxSendMessageSize;
  }

  /**
   * {@return the largest message a call accepts from the server, in bytes, unless its call options
   * set another; {@value #DEFAULT_MAX_RECEIVE_MESSAGE_SIZE} by default} A larger message fails the
   * call with RESOURCE_EXHAUSTED.
   */
  public int maxReceiveMessageSize() {
    return maxReceiveMessageSize;
  }

  /**
   * {@return the largest header block (response headers or trailers) accepted from a server, in
   * bytes, advertised as HTTP/2 {@code SETTINGS_MAX_HEADER_LIST_SIZE}; {@value
   * #DEFAULT_MAX_HEADER_LIST_SIZE} by default} A larger one fails its call with RESOURCE_EXHAUSTED.
   */
  public int maxHeaderListSize() {
    return maxHeaderListSize;
  }

  /**
   * {@return the limits on control, empty DATA and CONTINUATION frames from a server}
   *
   * @since 0.3
   */
  public FrameLimits frameLimits() {
    return frameLimits;
  }

  /**
   * {@return the backoff between the channel's connection attempts, and between re-resolutions
   * after a resolver error}
   */
  public BackoffConfig backoff() {
    return backoff;
  }

  /**
   * {@return the keepalive of the channel's connections; {@link ClientKeepalive#DISABLED} by
   * default}
   *
   * @since 0.3
   */
  public ClientKeepalive keepalive() {
    return keepalive;
  }

  /**
   * {@return the HTTP/2 flow control of the channel's connections; {@link FlowControl#DEFAULT} by
   * default}
   *
   * @since 0.3
   */
  public FlowControl flowControl() {
    return flowControl;
  }

  /**
   * {@return the service config JSON used until (or unless) the resolver supplies one, or {@code
   * null} for none (policy {@code pick_first})}
   */
  public String defaultServiceConfigJson() {
    return defaultServiceConfigJson;
  }

  /**
   * {@return whether the channel ignores service configs from its resolver (and asks resolvers not
   * to look them up), using only {@link #defaultServiceConfigJson()} and {@code
   * updateServiceConfig}}
   *
   * @since 0.3
   */
  public boolean serviceConfigLookupDisabled() {
    return serviceConfigLookupDisabled;
  }

  /**
   * {@return whether the service config's retry and hedging policies are ignored} Transparent
   * retries of attempts no server saw still happen.
   *
   * @since 0.3
   */
  public boolean retryDisabled() {
    return retryDisabled;
  }

  /**
   * {@return whether the service config's {@code healthCheckConfig} is ignored}
   *
   * @since 0.3
   */
  public boolean healthCheckDisabled() {
    return healthCheckDisabled;
  }

  /**
   * {@return how many request bytes calls keep for retries and hedging}
   *
   * @since 0.3
   */
  public RetryBufferLimits retryBufferLimits() {
    return retryBufferLimits;
  }

  /**
   * {@return how long channel creation waits for READY, or {@code null} (the default) when it
   * returns at once with an IDLE channel}
   */
  public Duration blockTimeout() {
    return blockTimeout;
  }

  /**
   * {@return how long the channel stays connected without calls before going IDLE, or {@code null}
   * when it never does; see {@link Builder#idleTimeout(Duration)}}
   *
   * @since 0.3
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * {@return the executor for call callbacks, or {@code null} for the shared default} See {@link
   * Builder#executor(Executor)}.
   */
  public Executor executor() {
    return executor;
  }

  /**
   * {@return the name of the transport provider the channel connects with ({@value
   * #DEFAULT_TRANSPORT} by default)}
   */
  public String transportName() {
    return transportName;
  }

  /**
   * {@return how long the channel behaves as CONNECTING while a provider it needs is missing,
   * before failing calls; see {@link Builder#providerGrace(Duration)}}
   *
   * @since 0.2
   */
  public Duration providerGrace() {
    return providerGrace;
  }

  /**
   * {@return the registry balancing policies are looked up in, or {@code null} for {@link
   * BalancerRegistry#getDefaultRegistry()}}
   */
  public BalancerRegistry balancerRegistry() {
    return balancerRegistry;
  }

  /**
   * {@return the registry resolvers are looked up in by target scheme, or {@code null} for {@link
   * ResolverRegistry#getDefaultRegistry()}}
   */
  public ResolverRegistry resolverRegistry() {
    return resolverRegistry;
  }

  /**
   * {@return the registry the transport is looked up in, or {@code null} for {@link
   * TransportRegistry#getDefaultRegistry()}}
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
   * {@return the registry compressors are looked up in by name, or {@code null} for {@link
   * CompressorRegistry#getDefaultRegistry()}}
   */
  public CompressorRegistry compressorRegistry() {
    return compressorRegistry;
  }

  /**
   * {@return the HTTP CONNECT proxy every connection of a {@code host:port} target goes through, or
   * {@code null} when none was set} See {@link Builder#proxy(HttpConnectProxy)}.
   *
   * @since 0.3
   */
  public HttpConnectProxy proxy() {
    return proxy;
  }

  /**
   * {@return whether the channel takes its proxy from the environment (the default)} Then, for a
   * target of scheme {@code dns} or {@code passthrough} (or none), the proxy is the URL in the
   * first non-empty of the environment variables {@code grpc_proxy}, {@code GRPC_PROXY}, {@code
   * https_proxy}, {@code HTTPS_PROXY} (parsed by {@link HttpConnectProxy#parse}), unless the
   * target's host is {@code localhost}, a loopback address, or listed in {@code no_proxy} (else
   * {@code NO_PROXY}): a comma-separated list of host names (each also matching its subdomains),
   * {@code .domain} suffixes (subdomains only), IP addresses, CIDR blocks such as {@code
   * 10.0.0.0/8}, any of them with an optional {@code :port}, or {@code *} for every host. A
   * malformed {@code no_proxy} entry is ignored with a warning; a malformed proxy URL fails the
   * channel's calls with UNAVAILABLE naming the variable. {@code false} after {@link
   * Builder#proxy(HttpConnectProxy)} or {@link Builder#noProxy()}.
   *
   * @since 0.3
   */
  public boolean proxyFromEnvironment() {
    return proxyFromEnvironment;
  }

  /**
   * {@return the telemetry providers given to this channel, in the order added} They trace its
   * calls besides the installed ones (see {@link #installedTelemetry()}).
   *
   * @since 0.3
   */
  public List<TelemetryProvider> telemetry() {
    return telemetry;
  }

  /**
   * {@return whether the providers of {@link TelemetryRegistry#getDefaultRegistry()} trace this
   * channel's calls too (true by default)}
   *
   * @since 0.3
   */
  public boolean installedTelemetry() {
    return installedTelemetry;
  }

  /** Builds {@link DialOptions}. Not thread-safe; each setter returns this builder. */
  public static final class Builder {
    private TransportCredentials credentials;
    private String authority;
    private String userAgent;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private CallOptions defaultCallOptions = CallOptions.DEFAULT;
    private int maxSendMessageSize = Integer.MAX_VALUE;
    private int maxReceiveMessageSize = DEFAULT_MAX_RECEIVE_MESSAGE_SIZE;
    private RetryBufferLimits retryBufferLimits = RetryBufferLimits.DEFAULT;
    private int maxHeaderListSize = DEFAULT_MAX_HEADER_LIST_SIZE;
    private FrameLimits frameLimits = FrameLimits.DEFAULT;
    private BackoffConfig backoff = BackoffConfig.DEFAULT;
    private ClientKeepalive keepalive = ClientKeepalive.DISABLED;
    private FlowControl flowControl = FlowControl.DEFAULT;
    private String defaultServiceConfigJson;
    private boolean serviceConfigLookupDisabled;
    private boolean retryDisabled;
    private boolean healthCheckDisabled;
    private Duration blockTimeout;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Executor executor;
    private String transportName = DEFAULT_TRANSPORT;
    private Duration providerGrace = DEFAULT_PROVIDER_GRACE;
    private final List<TelemetryProvider> telemetry = new ArrayList<>();
    private boolean installedTelemetry = true;
    private BalancerRegistry balancerRegistry;
    private ResolverRegistry resolverRegistry;
    private TransportRegistry transportRegistry;
    private CodecRegistry codecRegistry;
    private CompressorRegistry compressorRegistry;
    private HttpConnectProxy proxy;
    private boolean proxyFromEnvironment = true;

    private Builder() {}

    /**
     * Sets how connections are secured. Required: {@link #build()} refuses to build without.
     *
     * @param credentials the credentials, not null; the transport rejects kinds it does not support
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
     */
    public Builder insecure() {
      return credentials(TransportCredentials.insecure());
    }

    /**
     * Sets the {@code :authority} of the channel's calls instead of the one derived from the target
     * (see {@link DialOptions#authority()}).
     *
     * @param authority a {@code host[:port]}, or {@code null} to derive it from the target
     * @return this builder
     */
    public Builder authority(String authority) {
      this.authority = authority;
      return this;
    }

    /**
     * Sets a prefix for the {@code user-agent} header, such as {@code "my-app/1.2"}; Switchboard's
     * own {@code switchboard-java/<version>} follows it.
     *
     * @param userAgent the prefix, or {@code null} (or blank) for none
     * @return this builder
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /**
     * Adds interceptors, after any added before; the first added sees each call first.
     *
     * @param interceptors the interceptors, none null
     * @return this builder
     */
    public Builder intercept(ClientInterceptor... interceptors) {
      this.interceptors.addAll(List.of(interceptors));
      return this;
    }

    /**
     * Sets the call options every call starts from; the options passed to a call win where they set
     * a value.
     *
     * @param options the defaults, not null ({@link CallOptions#DEFAULT} by default)
     * @return this builder
     */
    public Builder defaultCallOptions(CallOptions options) {
      this.defaultCallOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Sets the largest message a call may send, in bytes (serialized, before compression), for
     * calls whose options set none. A larger message fails the call with RESOURCE_EXHAUSTED.
     *
     * @param bytes the limit, at least 0 ({@link Integer#MAX_VALUE} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public Builder maxSendMessageSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative size");
      }
      this.maxSendMessageSize = bytes;
      return this;
    }

    /**
     * Sets the largest message a call accepts from the server, in bytes, for calls whose options
     * set none. A larger message fails the call with RESOURCE_EXHAUSTED.
     *
     * @param bytes the limit, at least 0 ({@value #DEFAULT_MAX_RECEIVE_MESSAGE_SIZE} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public Builder maxReceiveMessageSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative size");
      }
      this.maxReceiveMessageSize = bytes;
      return this;
    }

    /**
     * Sets the largest header block (response headers or trailers) accepted from a server,
     * advertised as HTTP/2 {@code SETTINGS_MAX_HEADER_LIST_SIZE}. A larger one fails its call with
     * RESOURCE_EXHAUSTED.
     *
     * @param bytes the limit, positive ({@value #DEFAULT_MAX_HEADER_LIST_SIZE} by default)
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    public Builder maxHeaderListSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("size must be positive");
      }
      this.maxHeaderListSize = bytes;
      return this;
    }

    /**
     * Sets the limits on frames a server may send or provoke without answering a call: control
     * frames queued while it does not read (the client's PING and SETTINGS acknowledgements),
     * consecutive empty DATA frames, small CONTINUATION frames per header block. A server over one
     * is disconnected with GOAWAY ENHANCE_YOUR_CALM and its calls fail with UNAVAILABLE.
     *
     * @param limits the limits ({@link FrameLimits#DEFAULT} by default)
     * @return this builder
     * @since 0.3
     */
    public Builder frameLimits(FrameLimits limits) {
      this.frameLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets the backoff between connection attempts, and between re-resolutions after a resolver
     * error.
     *
     * @param backoff the backoff, not null ({@link BackoffConfig#DEFAULT} by default)
     * @return this builder
     */
    public Builder backoff(BackoffConfig backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Sets the keepalive of the channel's connections (gRFC A8): a PING after a time without reads
     * from the server, and the connection closed (then made again) when nothing answers it in time.
     * See {@link ClientKeepalive}.
     *
     * @param keepalive the settings, not null ({@link ClientKeepalive#DISABLED} by default)
     * @return this builder
     * @since 0.3
     */
    public Builder keepalive(ClientKeepalive keepalive) {
      this.keepalive = Objects.requireNonNull(keepalive, "keepalive");
      return this;
    }

    /**
     * Sets the HTTP/2 flow control of the channel's connections: the windows they advertise to
     * servers and their auto-tuning. See {@link FlowControl}.
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
     * Sets the service config used until (or unless) the resolver supplies one, such as {@code
     * {"loadBalancingConfig":[{"round_robin":{}},{"pick_first":{}}]}}: the first policy deployed
     * wins. Its syntax is checked when the channel is created.
     *
     * @param json the service config JSON, or {@code null} for none (policy {@code pick_first})
     * @return this builder
     */
    public Builder defaultServiceConfig(String json) {
      this.defaultServiceConfigJson = json;
      return this;
    }

    /**
     * Ignores service configs from the resolver (such as the {@code dns} resolver's TXT records)
     * and tells resolvers not to look them up: the channel uses the default service config and
     * {@code updateServiceConfig} only.
     *
     * @return this builder
     * @since 0.3
     */
    public Builder disableServiceConfigLookup() {
      this.serviceConfigLookupDisabled = true;
      return this;
    }

    /**
     * Ignores the service config's {@code retryPolicy} and {@code hedgingPolicy}: failed calls are
     * not retried nor hedged (attempts no server saw are still retried transparently, as gRPC
     * requires).
     *
     * @return this builder
     * @since 0.3
     */
    public Builder disableRetry() {
      this.retryDisabled = true;
      return this;
    }

    /**
     * Ignores the service config's {@code healthCheckConfig} (client-side health checking, gRFC
     * A17): connections are READY for the balancer as soon as they are connected, whatever the
     * backends' {@code grpc.health.v1.Health} service says. Without this option, a service config
     * such as {@code {"loadBalancingConfig": [{"round_robin": {}}], "healthCheckConfig":
     * {"serviceName": "my.Service"}}} makes the channel watch {@code my.Service}'s health on every
     * connection (this needs the {@code health} module deployed; without it the channel logs once
     * and treats backends as healthy) and send calls only to backends that report {@code SERVING}.
     * {@code pick_first} as the channel's policy ignores health checks, as gRPC does.
     *
     * @return this builder
     * @since 0.3
     */
    public Builder disableHealthCheck() {
      this.healthCheckDisabled = true;
      return this;
    }

    /**
     * Sets how many request bytes calls keep so that they can be retried or hedged.
     *
     * @param limits per call and per channel, not null ({@link RetryBufferLimits#DEFAULT} unless
     *     set)
     * @return this builder
     * @since 0.3
     */
    public Builder retryBufferLimits(RetryBufferLimits limits) {
      this.retryBufferLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Makes channel creation connect and wait until the channel is READY. When it is not READY
     * within {@code timeout}, creation closes the channel and throws a {@link
     * StatusRuntimeException}: UNAVAILABLE with the last connection error, else DEADLINE_EXCEEDED.
     *
     * @param timeout the longest wait, not null
     * @return this builder
     */
    public Builder block(Duration timeout) {
      this.blockTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * How long a channel without calls stays connected before it goes IDLE; default {@link
     * #DEFAULT_IDLE_TIMEOUT} (30 min). Going IDLE closes the channel's resolver, balancer and
     * connections; the next call (or {@link ClientConn#connect()}) creates them again, as {@link
     * ClientConn#enterIdle()} describes. The time counts from the end of the last call, or from
     * leaving IDLE when no call was made since; a channel with a call in flight never goes IDLE on
     * its own.
     *
     * @param timeout at least {@link #MIN_IDLE_TIMEOUT} (1 s)
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is shorter than 1 s
     * @since 0.3
     */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.compareTo(MIN_IDLE_TIMEOUT) < 0) {
        throw new IllegalArgumentException(
            "idle timeout " + timeout + " is shorter than the minimum " + MIN_IDLE_TIMEOUT);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * Keeps the channel connected however long it has no calls: it only goes IDLE through {@link
     * ClientConn#enterIdle()}.
     *
     * @return this builder
     * @since 0.3
     */
    public Builder disableIdleTimeout() {
      this.idleTimeout = null;
      return this;
    }

    /**
     * Sets the executor that runs the channel's call callbacks: the {@link ClientStreamListener}
     * methods, hence the async stubs' {@code StreamObserver}s and the completion of future stubs.
     * Callbacks of one call run one at a time, in order; different calls may run in parallel.
     * {@link CallOptions#withExecutor} overrides it for one call; blocking stubs always run their
     * callbacks on the waiting thread.
     *
     * <p>By default ({@code null}) a work-stealing {@link java.util.concurrent.ForkJoinPool} of one
     * daemon thread per core ({@code switchboard-callbacks-N}), shared by all channels, runs them:
     * the fastest choice for callbacks that do not block. Callbacks that block (on I/O, a lock, a
     * sleep) hold one of those few threads meanwhile; give such channels an executor sized for
     * them, such as {@code Executors.newCachedThreadPool()}. The channel never shuts down an
     * executor given here: the caller owns it, and must keep it running until the channel's calls
     * have ended.
     *
     * @param executor the executor, or {@code null} for the shared default
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Names the transport provider the channel connects with, looked up in the transport registry.
     * While no provider of that name is deployed, connection attempts fail with UNAVAILABLE, and so
     * do the calls that do not wait for ready.
     *
     * @param name the provider name, not null ({@value #DEFAULT_TRANSPORT} by default)
     * @return this builder
     */
    public Builder transport(String name) {
      this.transportName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * How long a channel waits for a provider that is not deployed (yet) before failing calls;
     * default {@link #DEFAULT_PROVIDER_GRACE} (5 s), zero to fail at once.
     *
     * <p>Providers may arrive after the channel was created (in an OSGi framework, the transport
     * bundle may start after the application's) or leave while it runs (at framework shutdown the
     * transport may stop first; a bundle update restarts it). While the resolver for the target's
     * scheme, every balancing policy the service config lists, or the transport is missing, the
     * channel behaves as CONNECTING, as it would while a connection is being made: calls wait in
     * the channel, and go ahead without failing once the provider arrives. When the grace period
     * has passed and the provider is still missing, the channel goes TRANSIENT_FAILURE and calls
     * fail fast with UNAVAILABLE naming the missing provider and how to deploy it; wait-for-ready
     * calls keep waiting, and the channel recovers as soon as the provider arrives. A call's
     * deadline applies throughout. The period starts when the channel first finds the provider
     * missing and starts again each time the provider leaves.
     *
     * @param grace how long to wait; zero fails at once
     * @return this builder
     * @throws IllegalArgumentException when {@code grace} is negative
     * @since 0.2
     */
    public Builder providerGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("negative grace: " + grace);
      }
      this.providerGrace = grace;
      return this;
    }

    /**
     * Uses this registry for balancing policies instead of the default one, such as a registry of
     * the test's own providers.
     *
     * @param registry the registry, or {@code null} for {@link
     *     BalancerRegistry#getDefaultRegistry()}
     * @return this builder
     */
    public Builder balancerRegistry(BalancerRegistry registry) {
      this.balancerRegistry = registry;
      return this;
    }

    /**
     * Uses this registry for resolvers instead of the default one. The built-in {@code passthrough}
     * and {@code static} schemes work with any registry.
     *
     * @param registry the registry, or {@code null} for {@link
     *     ResolverRegistry#getDefaultRegistry()}
     * @return this builder
     */
    public Builder resolverRegistry(ResolverRegistry registry) {
      this.resolverRegistry = registry;
      return this;
    }

    /**
     * Uses this registry for transports instead of the default one.
     *
     * @param registry the registry, or {@code null} for {@link
     *     TransportRegistry#getDefaultRegistry()}
     * @return this builder
     */
    public Builder transportRegistry(TransportRegistry registry) {
      this.transportRegistry = registry;
      return this;
    }

    /**
     * Uses this registry for codecs instead of the default one.
     *
     * @param registry the registry, or {@code null} for {@link CodecRegistry#getDefaultRegistry()}
     * @return this builder
     */
    public Builder codecRegistry(CodecRegistry registry) {
      this.codecRegistry = registry;
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
      this.compressorRegistry = registry;
      return this;
    }

    /**
     * Adds a telemetry provider of this channel's own: its client call tracer factory is asked for
     * a tracer at the start of each call, besides the installed providers' (its {@code
     * isAvailable()} and name are not consulted).
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
     * channel's calls (as they are when each call starts); true by default. With false only the
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
     * Connects through this HTTP CONNECT proxy whatever the environment says: every connection of a
     * {@code host:port} target (scheme {@code dns} or {@code passthrough}, or none) goes to the
     * proxy, which is asked to open a tunnel to the target's host and port; the client does not
     * look the target's host up, the proxy does. Targets of other schemes, and address lists, are
     * connected to directly. A proxy that refuses (such as {@code 407 Proxy Authentication
     * Required}) or cannot be reached fails the connection attempt, and calls fail with UNAVAILABLE
     * naming the proxy and its answer.
     *
     * @param proxy the proxy, not null
     * @return this builder
     * @since 0.3
     */
    public Builder proxy(HttpConnectProxy proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      this.proxyFromEnvironment = false;
      return this;
    }

    /**
     * Connects directly, ignoring any proxy the environment names (and undoing {@link
     * #proxy(HttpConnectProxy)}).
     *
     * @return this builder
     * @since 0.3
     */
    public Builder noProxy() {
      this.proxy = null;
      this.proxyFromEnvironment = false;
      return this;
    }

    /**
     * {@return new, immutable options holding what was set}
     *
     * @throws IllegalStateException when no credentials were chosen
     */
    public DialOptions build() {
      if (credentials == null) {
        throw new IllegalStateException(
            "no transport credentials: choose credentials(...) or insecure() explicitly");
      }
      return new DialOptions(this);
    }
  }
}
