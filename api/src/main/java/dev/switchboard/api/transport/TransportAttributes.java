package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.SecurityLevel;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * Well-known connection attributes set by transports.
 *
 * @since 0.1
 */
public final class TransportAttributes {
  /** The peer's address. */
  public static final Attributes.Key<SocketAddress> REMOTE_ADDRESS =
      Attributes.Key.create("remote-address");

  /** This side's address. */
  public static final Attributes.Key<SocketAddress> LOCAL_ADDRESS =
      Attributes.Key.create("local-address");

  /**
   * The TLS session of a secured connection (its protocol, cipher suite and certificates); absent
   * on plaintext connections.
   *
   * @since 0.3
   */
  public static final Attributes.Key<SSLSession> SSL_SESSION = Attributes.Key.create("ssl-session");

  /**
   * The peer's verified certificate chain, leaf first, on a TLS connection where the peer presented
   * one; absent otherwise (plaintext, or a client that sent none).
   *
   * @since 0.3
   */
  public static final Attributes.Key<List<Certificate>> PEER_CERTIFICATES =
      Attributes.Key.create("peer-certificates");

  /**
   * The application protocol negotiated by ALPN on a TLS connection (always {@code h2}, since any
   * other is refused); absent on plaintext connections.
   *
   * @since 0.3
   */
  public static final Attributes.Key<String> APPLICATION_PROTOCOL =
      Attributes.Key.create("application-protocol");

  /**
   * How well the connection protects its traffic: {@link SecurityLevel#PRIVACY_AND_INTEGRITY} over
   * TLS, {@link SecurityLevel#NONE} in plaintext. Call credentials are applied only when it is at
   * least the level they require; a transport that leaves it out counts as {@link
   * SecurityLevel#NONE}.
   *
   * @since 0.3
   */
  public static final Attributes.Key<SecurityLevel> SECURITY_LEVEL =
      Attributes.Key.create("security-level");

  /**
   * An address attribute, not a connection one: connect to this HTTP CONNECT proxy and ask it for a
   * tunnel to the address's {@code host:port} (usually unresolved: the proxy looks the name up).
   * The proxy's own address is resolved by the channel. Transports that cannot tunnel fail the
   * connection attempt rather than connect directly.
   *
   * @since 0.3
   */
  public static final Attributes.Key<HttpConnectProxy> HTTP_CONNECT_PROXY =
      Attributes.Key.create("http-connect-proxy");

  /**
   * {@return the security level in {@code attributes}, {@link SecurityLevel#NONE} when absent}
   *
   * @param attributes a transport's attributes, not null
   * @since 0.3
   */
  public static SecurityLevel securityLevel(Attributes attributes) {
    SecurityLevel level = attributes.get(SECURITY_LEVEL);
    return level != null ? level : SecurityLevel.NONE;
  }

  private TransportAttributes() {}
}
