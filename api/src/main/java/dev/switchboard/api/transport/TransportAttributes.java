package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
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

  private TransportAttributes() {}
}
