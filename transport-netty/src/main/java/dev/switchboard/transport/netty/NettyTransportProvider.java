package dev.switchboard.transport.netty;

import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.TlsIdentity;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.TransportProvider;
import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code netty} transport: gRPC over HTTP/2 on netty-codec-http2, plaintext with prior
 * knowledge (h2c) or TLS with ALPN {@code h2}. Found by {@code ServiceLoader} (module {@code
 * provides} and {@code META-INF/services}) and, in OSGi, registered as a Declarative Services
 * component with {@value TransportProvider#NAME_PROPERTY}{@code =netty}.
 *
 * <p>Stateless apart from one event loop group shared by everything it creates: made on first use,
 * with daemon threads named {@code switchboard-netty-*}, and shut down when the last factory,
 * client transport and server transport using it have been closed. Client transports keep it alive
 * until they terminate; server transports until they are shut down and their connections are gone.
 * Inside OSGi the component's deactivation (its bundle stopping) waits, at most 3 s, for the group
 * to terminate, so that no Netty thread runs this bundle's code once the bundle may be refreshed.
 *
 * <p>Understands {@link TransportCredentials#insecure()} and {@link TlsCredentials} (TLS 1.3 and
 * 1.2, HTTP/2's cipher suites, ALPN {@code h2} required, the server's host name verified against
 * the channel's authority, a {@link TlsIdentity} read at each handshake); other credentials are
 * refused with {@link IllegalArgumentException} naming them.
 *
 * <p>TLS is done by OpenSSL (BoringSSL) when {@code io.netty:netty-tcnative-boringssl-static} is on
 * the class path (or deployed in the framework) and supports ALPN and TLS 1.3, else by the JDK.
 * System property {@code dev.switchboard.netty.tls.provider} = {@code auto} (default), {@code jdk}
 * or {@code openssl} forces one, read when the first TLS factory or server transport is made; a
 * channel's {@link dev.switchboard.api.ClientConn#describeWiring()} names the one in use.
 *
 * <p>Addresses: {@link java.net.InetSocketAddress} (TCP), {@link java.net.UnixDomainSocketAddress}
 * (a Unix domain socket file) and {@link dev.switchboard.api.UnixAbstractAddress} (Linux's abstract
 * namespace), to connect to and to listen on. Sockets are by Netty's native epoll transport when
 * {@code io.netty:netty-transport-native-epoll} (with its {@code linux-x86_64} classifier jar) is
 * on the class path (or deployed in the framework) and loads, else by NIO, which has no abstract
 * namespace. System property {@code dev.switchboard.netty.transport} = {@code auto} (default),
 * {@code nio} or {@code epoll} forces one, read when the first factory or server transport is made;
 * {@code describeWiring()} names it too. A server removes its socket file when it stops listening,
 * but does not remove one left behind by a process that died: binding then fails, naming the file.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
@Component(service = TransportProvider.class, property = TransportProvider.NAME_PROPERTY + "=netty")
public final class NettyTransportProvider implements TransportProvider {
  private static final System.Logger LOG = System.getLogger(NettyTransportProvider.class.getName());
  private static final String NAME = "netty";

  private final SharedEventLoopGroup eventLoops = new SharedEventLoopGroup(this::channels);
  private final String tlsSetting; // null: the system property
  private final String transportSetting; // null: the system property
  private volatile TlsProviderChoice tls;
  private volatile NettyChannels channels;

  /**
   * Creates the provider; cheap, allocates no threads. Public and argument-free for {@code
   * ServiceLoader} and Declarative Services.
   *
   * @since 0.1
   */
  public NettyTransportProvider() {
    this(null);
  }

  /**
   * A provider whose TLS implementation is {@code tlsSetting} ({@code auto}, {@code jdk} or {@code
   * openssl}), for tests; null reads the system property.
   */
  NettyTransportProvider(String tlsSetting) {
    this(tlsSetting, null);
  }

  /**
   * A provider whose TLS implementation is {@code tlsSetting} and whose sockets are {@code
   * transportSetting} ({@code auto}, {@code nio} or {@code epoll}), for tests; null reads the
   * system property.
   */
  NettyTransportProvider(String tlsSetting, String transportSetting) {
    this.tlsSetting = tlsSetting;
    this.transportSetting = transportSetting;
  }

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
   * A factory for h2c or TLS client connections.
   *
   * @throws IllegalArgumentException unless {@code credentials} are {@link
   *     TransportCredentials#insecure()} or readable {@link TlsCredentials}
   * @since 0.1
   */
  @Override
  public ClientTransportFactory newClientTransportFactory(TransportCredentials credentials) {
    NettyChannels sockets = channels();
    SslContext sslContext = sslContext(credentials, false);
    return new NettyClientTransportFactory(
        eventLoops,
        sockets,
        sslContext,
        (sslContext == null ? "h2c (plaintext)" : "TLS by " + tlsChoice().describe())
            + "; sockets by "
            + sockets.describe());
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
    NettyChannels sockets = channels();
    SslContext sslContext = sslContext(options.credentials(), true);
    if (options.addresses().isEmpty()) {
      throw new IllegalArgumentException("no address to listen on");
    }
    if (options.maxInboundMessageSize() < 0) {
      throw new IllegalArgumentException(
          "negative maxInboundMessageSize: " + options.maxInboundMessageSize());
    }
    return new NettyServerTransport(options, eventLoops, sockets, sslContext);
  }

  /**
   * Returns true for {@link TransportCredentials#insecure()} and {@link TlsCredentials}.
   *
   * @since 0.3
   */
  @Override
  public boolean supportsCredentials(TransportCredentials credentials) {
    return credentials.isInsecure() || credentials instanceof TlsCredentials;
  }

  /** {@return the TLS context for {@code credentials}, or null for plaintext} */
  private SslContext sslContext(TransportCredentials credentials, boolean server) {
    Objects.requireNonNull(credentials, "credentials");
    if (credentials.isInsecure()) {
      return null;
    }
    if (credentials instanceof TlsCredentials tls) {
      return server
          ? TlsContexts.forServer(tls, tlsChoice())
          : TlsContexts.forClient(tls, tlsChoice());
    }
    throw new IllegalArgumentException(
        "the netty transport supports TransportCredentials.insecure() and TlsCredentials, not "
            + credentials.getClass().getName()
            + " ("
            + credentials
            + ")");
  }

  /**
   * {@return the TLS implementation, chosen on first use}
   *
   * @throws IllegalArgumentException when the setting is unknown or asks for a missing OpenSSL
   */
  TlsProviderChoice tlsChoice() {
    TlsProviderChoice c = tls;
    if (c == null) {
      synchronized (this) {
        c = tls;
        if (c == null) {
          c =
              TlsProviderChoice.choose(
                  tlsSetting != null ? tlsSetting : System.getProperty(TlsProviderChoice.PROPERTY));
          tls = c;
        }
      }
    }
    return c;
  }

  /**
   * {@return the socket implementation, chosen on first use}
   *
   * @throws IllegalArgumentException when the setting is unknown or asks for a missing epoll
   */
  NettyChannels channels() {
    NettyChannels c = channels;
    if (c == null) {
      synchronized (this) {
        c = channels;
        if (c == null) {
          c =
              NettyChannels.choose(
                  transportSetting != null
                      ? transportSetting
                      : System.getProperty(NettyChannels.PROPERTY));
          channels = c;
        }
      }
    }
    return c;
  }

  /**
   * Declarative Services: the bundle is stopping. Waits, at most 3 s, until the shared event loop
   * group has no user left and has terminated (channels and servers close their transports before
   * their leases let the service go), so that no Netty thread runs this bundle's code once the
   * bundle may be refreshed.
   */
  @Deactivate
  void deactivate() {
    try {
      if (!eventLoops.awaitTermination(3, TimeUnit.SECONDS)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "netty transport stopping with its event loops still in use after 3 s ({0} user(s))",
            eventLoops.refCount());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
