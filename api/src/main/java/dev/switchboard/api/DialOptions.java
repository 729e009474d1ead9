package dev.switchboard.api;

import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
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
  /** Transport used when none is named. */
  public static final String DEFAULT_TRANSPORT = "netty";
  /**
   * How long, by default, a channel waits for a missing provider before failing calls: 5 s. See
   * {@link Builder#providerGrace(Duration)}.
   *
   * @since 0.2
   */
  public static final Duration DEFAULT_PROVIDER_GRACE = Duration.ofSeconds(5);

  private final TransportCredentials credentials;
  private final String authority;
  private final String userAgent;
  private final List<ClientInterceptor> interceptors;
  private final CallOptions defaultCallOptions;
  private final int maxSendMessageSize;
  private final int maxReceiveMessageSize;
  private final BackoffConfig backoff;
  private final String defaultServiceConfigJson;
  private final Duration blockTimeout; // null = don't block
  private final Executor executor;
  private final String transportName;
  private final Duration providerGrace;
  private final BalancerRegistry balancerRegistry;
  private final ResolverRegistry resolverRegistry;
  private final TransportRegistry transportRegistry;
  private final CodecRegistry codecRegistry;
  private final CompressorRegistry compressorRegistry;

  private DialOptions(Builder b) {
    credentials = b.credentials;
    authority = b.authority;
    userAgent = b.userAgent;
    interceptors = List.copyOf(b.interceptors);
    defaultCallOptions = b.defaultCallOptions;
    maxSendMessageSize = b.maxSendMessageSize;
    maxReceiveMessageSize = b.maxReceiveMessageSize;
    backoff = b.backoff;
    defaultServiceConfigJson = b.defaultServiceConfigJson;
    blockTimeout = b.blockTimeout;
    executor = b.executor;
    transportName = b.transportName;
    providerGrace = b.providerGrace;
    balancerRegistry = b.balancerRegistry;
    resolverRegistry = b.resolverRegistry;
    transportRegistry = b.transportRegistry;
    codecRegistry = b.codecRegistry;
    compressorRegistry = b.compressorRegistry;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.credentials = credentials;
    b.authority = authority;
    b.userAgent = userAgent;
    b.interceptors.addAll(interceptors);
    b.defaultCallOptions = defaultCallOptions;
    b.maxSendMessageSize = maxSendMessageSize;
    b.maxReceiveMessageSize = maxReceiveMessageSize;
    b.backoff = backoff;
    b.defaultServiceConfigJson = defaultServiceConfigJson;
    b.blockTimeout = blockTimeout;
    b.executor = executor;
    b.transportName = transportName;
    b.providerGrace = providerGrace;
    b.balancerRegistry = balancerRegistry;
    b.resolverRegistry = resolverRegistry;
    b.transportRegistry = transportRegistry;
    b.codecRegistry = codecRegistry;
    b.compressorRegistry = compressorRegistry;
    return b;
  }

  public TransportCredentials credentials() {
    return credentials;
  }

  /** The {@code :authority} override, or {@code null} to derive it from the target. */
  public String authority() {
    return authority;
  }

  /** A prefix for the {@code user-agent} header, or {@code null}. */
  public String userAgent() {
    return userAgent;
  }

  public List<ClientInterceptor> interceptors() {
    return interceptors;
  }

  public CallOptions defaultCallOptions() {
    return defaultCallOptions;
  }

  public int maxSendMessageSize() {
    return maxSendMessageSize;
  }

  public int maxReceiveMessageSize() {
    return maxReceiveMessageSize;
  }

  public BackoffConfig backoff() {
    return backoff;
  }

  /** Service config JSON used until (or unless) the resolver supplies one; or {@code null}. */
  public String defaultServiceConfigJson() {
    return defaultServiceConfigJson;
  }

  /** When non-null, channel creation blocks until READY for at most this long. */
  public Duration blockTimeout() {
    return blockTimeout;
  }

  /** The executor for call callbacks, or {@code null} for a shared default. */
  public Executor executor() {
    return executor;
  }

  public String transportName() {
    return transportName;
  }

  /**
   * How long the channel behaves as CONNECTING while a provider it needs is missing, before
   * failing calls; see {@link Builder#providerGrace(Duration)}.
   *
   * @since 0.2
   */
  public Duration providerGrace() {
    return providerGrace;
  }

  public BalancerRegistry balancerRegistry() {
    return balancerRegistry;
  }

  public ResolverRegistry resolverRegistry() {
    return resolverRegistry;
  }

  public TransportRegistry transportRegistry() {
    return transportRegistry;
  }

  public CodecRegistry codecRegistry() {
    return codecRegistry;
  }

  public CompressorRegistry compressorRegistry() {
    return compressorRegistry;
  }

  /** Builds {@link DialOptions}. */
  public static final class Builder {
    private TransportCredentials credentials;
    private String authority;
    private String userAgent;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private CallOptions defaultCallOptions = CallOptions.DEFAULT;
    private int maxSendMessageSize = Integer.MAX_VALUE;
    private int maxReceiveMessageSize = DEFAULT_MAX_RECEIVE_MESSAGE_SIZE;
    private BackoffConfig backoff = BackoffConfig.DEFAULT;
    private String defaultServiceConfigJson;
    private Duration blockTimeout;
    private Executor executor;
    private String transportName = DEFAULT_TRANSPORT;
    private Duration providerGrace = DEFAULT_PROVIDER_GRACE;
    private BalancerRegistry balancerRegistry;
    private ResolverRegistry resolverRegistry;
    private TransportRegistry transportRegistry;
    private CodecRegistry codecRegistry;
    private CompressorRegistry compressorRegistry;

    private Builder() {}

    /** Required: how connections are secured. */
    public Builder credentials(TransportCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Shorthand for {@code credentials(TransportCredentials.insecure())}. */
    public Builder insecure() {
      return credentials(TransportCredentials.insecure());
    }

    public Builder authority(String authority) {
      this.authority = authority;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /** Adds interceptors; the first added sees each call first. */
    public Builder intercept(ClientInterceptor... interceptors) {
      this.interceptors.addAll(List.of(interceptors));
      return this;
    }

    public Builder defaultCallOptions(CallOptions options) {
      this.defaultCallOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    public Builder maxSendMessageSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative size");
      }
      this.maxSendMessageSize = bytes;
      return this;
    }

    public Builder maxReceiveMessageSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative size");
      }
      this.maxReceiveMessageSize = bytes;
      return this;
    }

    public Builder backoff(BackoffConfig backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    public Builder defaultServiceConfig(String json) {
      this.defaultServiceConfigJson = json;
      return this;
    }

    /** Makes channel creation block until READY, failing after {@code timeout}. */
    public Builder block(Duration timeout) {
      this.blockTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

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

    public Builder balancerRegistry(BalancerRegistry registry) {
      this.balancerRegistry = registry;
      return this;
    }

    public Builder resolverRegistry(ResolverRegistry registry) {
      this.resolverRegistry = registry;
      return this;
    }

    public Builder transportRegistry(TransportRegistry registry) {
      this.transportRegistry = registry;
      return this;
    }

    public Builder codecRegistry(CodecRegistry registry) {
      this.codecRegistry = registry;
      return this;
    }

    public Builder compressorRegistry(CompressorRegistry registry) {
      this.compressorRegistry = registry;
      return this;
    }

    /**
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
