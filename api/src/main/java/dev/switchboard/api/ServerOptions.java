package dev.switchboard.api;

import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
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

  private final List<SocketAddress> addresses;
  private final List<ServiceDefinition> services;
  private final List<ServerInterceptor> interceptors;
  private final Executor executor;
  private final int maxInboundMessageSize;
  private final int maxInboundMetadataSize;
  private final int maxConcurrentCallsPerConnection;
  private final Duration handshakeTimeout;
  private final TransportCredentials credentials;
  private final String transportName;
  private final TransportRegistry transportRegistry;
  private final CodecRegistry codecRegistry;
  private final CompressorRegistry compressorRegistry;

  private ServerOptions(Builder b) {
    addresses = List.copyOf(b.addresses);
    services = List.copyOf(b.services);
    interceptors = List.copyOf(b.interceptors);
    executor = b.executor;
    maxInboundMessageSize = b.maxInboundMessageSize;
    maxInboundMetadataSize = b.maxInboundMetadataSize;
    maxConcurrentCallsPerConnection = b.maxConcurrentCallsPerConnection;
    handshakeTimeout = b.handshakeTimeout;
    credentials = b.credentials;
    transportName = b.transportName;
    transportRegistry = b.transportRegistry;
    codecRegistry = b.codecRegistry;
    compressorRegistry = b.compressorRegistry;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public List<SocketAddress> addresses() {
    return addresses;
  }

  public List<ServiceDefinition> services() {
    return services;
  }

  public List<ServerInterceptor> interceptors() {
    return interceptors;
  }

  /** The executor for handler callbacks, or {@code null} for a shared default pool. */
  public Executor executor() {
    return executor;
  }

  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  public int maxInboundMetadataSize() {
    return maxInboundMetadataSize;
  }

  public int maxConcurrentCallsPerConnection() {
    return maxConcurrentCallsPerConnection;
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  public TransportCredentials credentials() {
    return credentials;
  }

  public String transportName() {
    return transportName;
  }

  /** The transport registry, or {@code null} for the default. */
  public TransportRegistry transportRegistry() {
    return transportRegistry;
  }

  /** The codec registry, or {@code null} for the default. */
  public CodecRegistry codecRegistry() {
    return codecRegistry;
  }

  /** The compressor registry, or {@code null} for the default. */
  public CompressorRegistry compressorRegistry() {
    return compressorRegistry;
  }

  /** Builds {@link ServerOptions}. */
  public static final class Builder {
    private final List<SocketAddress> addresses = new ArrayList<>();
    private final List<ServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private Executor executor;
    private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    private int maxInboundMetadataSize = DEFAULT_MAX_INBOUND_METADATA_SIZE;
    private int maxConcurrentCallsPerConnection = Integer.MAX_VALUE;
    private Duration handshakeTimeout = Duration.ofSeconds(120);
    private TransportCredentials credentials = TransportCredentials.insecure();
    private String transportName = DialOptions.DEFAULT_TRANSPORT;
    private TransportRegistry transportRegistry;
    private CodecRegistry codecRegistry;
    private CompressorRegistry compressorRegistry;

    private Builder() {}

    /** Listens on {@code address}. */
    public Builder listen(SocketAddress address) {
      addresses.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /** Listens on {@code host:port}; port 0 picks a free port. */
    public Builder listen(String host, int port) {
      return listen(new InetSocketAddress(host, port));
    }

    /** Listens on all interfaces at {@code port}; port 0 picks a free port. */
    public Builder port(int port) {
      return listen(new InetSocketAddress(port));
    }

    public Builder addService(ServiceDefinition service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /** Adds interceptors applied to every call; the first added sees each call first. */
    public Builder intercept(ServerInterceptor... interceptors) {
      this.interceptors.addAll(List.of(interceptors));
      return this;
    }

    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    public Builder maxInboundMessageSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative size");
      }
      maxInboundMessageSize = bytes;
      return this;
    }

    public Builder maxInboundMetadataSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("size must be positive");
      }
      maxInboundMetadataSize = bytes;
      return this;
    }

    public Builder maxConcurrentCallsPerConnection(int calls) {
      if (calls <= 0) {
        throw new IllegalArgumentException("must be positive");
      }
      maxConcurrentCallsPerConnection = calls;
      return this;
    }

    public Builder handshakeTimeout(Duration timeout) {
      handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder credentials(TransportCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    public Builder transport(String name) {
      transportName = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder transportRegistry(TransportRegistry registry) {
      transportRegistry = registry;
      return this;
    }

    public Builder codecRegistry(CodecRegistry registry) {
      codecRegistry = registry;
      return this;
    }

    public Builder compressorRegistry(CompressorRegistry registry) {
      compressorRegistry = registry;
      return this;
    }

    public ServerOptions build() {
      if (addresses.isEmpty()) {
        throw new IllegalStateException("no listen address: call port(...) or listen(...)");
      }
      return new ServerOptions(this);
    }
  }
}
