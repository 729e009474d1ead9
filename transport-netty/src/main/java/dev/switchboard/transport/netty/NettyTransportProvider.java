package dev.switchboard.transport.netty;

import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.TransportProvider;
import java.util.Objects;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code netty} transport: gRPC over HTTP/2 on netty-codec-http2, plaintext with prior
 * knowledge (h2c). Found by {@code ServiceLoader} (module {@code provides} and {@code
 * META-INF/services}) and, in OSGi, registered as a Declarative Services component with {@value
 * TransportProvider#NAME_PROPERTY}{@code =netty}.
 *
 * <p>Stateless apart from one event loop group shared by everything it creates: made on first use,
 * with daemon threads named {@code switchboard-netty-*}, and shut down when the last factory,
 * client transport and server transport using it have been closed. Client transports keep it alive
 * until they terminate; server transports until they are shut down and their connections are gone.
 *
 * <p>Only {@link TransportCredentials#insecure()} is supported so far; other credentials are
 * refused with {@link IllegalArgumentException}.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
@Component(service = TransportProvider.class, property = TransportProvider.NAME_PROPERTY + "=netty")
public final class NettyTransportProvider implements TransportProvider {
  private static final String NAME = "netty";

  private final SharedEventLoopGroup eventLoops = new SharedEventLoopGroup();

  /**
   * Creates the provider; cheap, allocates no threads. Public and argument-free for {@code
   * ServiceLoader} and Declarative Services.
   *
   * @since 0.1
   */
  public NettyTransportProvider() {}

  /**
   * Returns {@code "netty"}.
   *
   * @since 0.1
   */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * A factory for h2c client connections.
   *
   * @throws IllegalArgumentException unless {@code credentials} are {@link
   *     TransportCredentials#insecure()}
   * @since 0.1
   */
  @Override
  public ClientTransportFactory newClientTransportFactory(TransportCredentials credentials) {
    checkCredentials(credentials);
    return new NettyClientTransportFactory(eventLoops);
  }

  /**
   * A server transport listening on {@code options}' addresses once started.
   *
   * @throws IllegalArgumentException for unsupported credentials or no addresses
   * @since 0.1
   */
  @Override
  public ServerTransport newServerTransport(ServerTransportOptions options) {
    Objects.requireNonNull(options, "options");
    checkCredentials(options.credentials());
    if (options.addresses().isEmpty()) {
      throw new IllegalArgumentException("no address to listen on");
    }
    if (options.maxInboundMessageSize() < 0) {
      throw new IllegalArgumentException(
          "negative maxInboundMessageSize: " + options.maxInboundMessageSize());
    }
    return new NettyServerTransport(options, eventLoops);
  }

  private static void checkCredentials(TransportCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    if (!credentials.isInsecure()) {
      throw new IllegalArgumentException(
          "the netty transport supports only "
              + "TransportCredentials.insecure() (plaintext h2c) for now, not "
              + credentials);
    }
  }

  /** The shared group's holder, for tests. */
  SharedEventLoopGroup eventLoops() {
    return eventLoops;
  }

  @Override
  public String toString() {
    return "NettyTransportProvider";
  }
}
