package dev.switchboard.api;

import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * TLS (1.2 or 1.3) with ALPN {@code h2}, for a channel or a server. Immutable; build with {@link
 * #newBuilder()}.
 *
 * <p><b>Trust</b> (whom this side believes): the platform's default trust store, unless PEM {@link
 * Builder#rootCertificates(byte[]) root certificates} or a {@link
 * Builder#trustManager(TrustManager) TrustManager} are given. A channel verifies the server's
 * certificate and that it names the channel's authority (its host, or {@link
 * DialOptions.Builder#authority(String)} when set). A server uses its trust only to verify client
 * certificates (see {@link ClientAuth}).
 *
 * <p><b>Identity</b> (what this side presents): a {@link TlsIdentity}, which holds a PEM
 * certificate chain and private key (PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC) and can be
 * replaced while the server or channel runs (certificate rotation: new connections present the new
 * certificate, existing ones keep theirs); {@link Builder#keyPair(byte[], byte[])} makes a fixed
 * one. Or a {@link KeyManager}. A server needs one; a channel needs one only for mutual TLS.
 *
 * @since 0.3
 */
public final class TlsCredentials extends TransportCredentials {
  /**
   * Whether a server asks for a client certificate. A channel ignores it.
   *
   * @since 0.3
   */
  public enum ClientAuth {
    /** No client certificate is requested. */
    NONE,
    /** A client certificate is requested and verified when sent, but a client may send none. */
    OPTIONAL,
    /** A verified client certificate is required; a client without one is refused. */
    REQUIRE
  }

  private final byte[] rootCertificates;
  private final TrustManager trustManager;
  private final TlsIdentity identity;
  private final KeyManager keyManager;
  private final ClientAuth clientAuth;

  private TlsCredentials(Builder b) {
    rootCertificates = b.rootCertificates;
    trustManager = b.trustManager;
    identity = b.identity;
    keyManager = b.keyManager;
    clientAuth = b.clientAuth;
  }

  /**
   * {@return a new builder: platform trust, no identity, {@link ClientAuth#NONE}}
   *
   * @since 0.3
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** {@return the PEM root certificates to trust (a copy), or {@code null} for other trust} */
  public byte[] rootCertificates() {
    return rootCertificates == null ? null : rootCertificates.clone();
  }

  /** {@return the trust manager to use, or {@code null} for other trust} */
  public TrustManager trustManager() {
    return trustManager;
  }

  /** {@return the certificate chain and key this side presents, or {@code null}} */
  public TlsIdentity identity() {
    return identity;
  }

  /** {@return the key manager choosing what this side presents, or {@code null}} */
  public KeyManager keyManager() {
    return keyManager;
  }

  /** {@return whether this side has an identity to present (a TLS identity or a key manager)} */
  public boolean hasIdentity() {
    return identity != null || keyManager != null;
  }

  /** {@return whether a server asks clients for a certificate} */
  public ClientAuth clientAuth() {
    return clientAuth;
  }

  @Override
  public String toString() {
    return "TlsCredentials{trust="
        + (trustManager != null ? "trustManager" : rootCertificates != null ? "pem" : "platform")
        + ", identity="
        + (keyManager != null ? "keyManager" : identity != null ? identity : "none")
        + ", clientAuth="
        + clientAuth
        + "}";
  }

  /**
   * Builds {@link TlsCredentials}. Not thread-safe; each setter returns this builder.
   *
   * @since 0.3
   */
  public static final class Builder {
    private byte[] rootCertificates;
    private TrustManager trustManager;
    private TlsIdentity identity;
    private KeyManager keyManager;
    private ClientAuth clientAuth = ClientAuth.NONE;

    private Builder() {}

    /**
     * Trusts exactly these PEM root certificates instead of the platform's; replaces a trust
     * manager set before.
     *
     * @param pem one or more {@code BEGIN CERTIFICATE} blocks, not null (copied)
     * @return this builder
     */
    public Builder rootCertificates(byte[] pem) {
      rootCertificates = Objects.requireNonNull(pem, "pem").clone();
      trustManager = null;
      return this;
    }

    /**
     * Trusts what this trust manager accepts (an {@code X509TrustManager} for the JDK's TLS);
     * replaces root certificates set before.
     *
     * @param trustManager the trust manager, not null
     * @return this builder
     */
    public Builder trustManager(TrustManager trustManager) {
      this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
      rootCertificates = null;
      return this;
    }

    /**
     * Presents this PEM certificate chain (leaf first) and its private key, a fixed {@link
     * TlsIdentity}; replaces an identity or key manager set before.
     *
     * @param certificateChain one or more {@code BEGIN CERTIFICATE} blocks, not null
     * @param privateKey an unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA
     *     PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}) key, not null
     * @return this builder
     * @throws IllegalArgumentException when the PEM cannot be read or the key does not belong to
     *     the leaf certificate
     */
    public Builder keyPair(byte[] certificateChain, byte[] privateKey) {
      return identity(TlsIdentity.of(certificateChain, privateKey));
    }

    /**
     * Presents this PEM certificate chain (leaf first) and its private key, which may be an
     * encrypted PKCS#8 key ({@code BEGIN ENCRYPTED PRIVATE KEY}); a fixed {@link TlsIdentity}.
     *
     * @param certificateChain one or more {@code BEGIN CERTIFICATE} blocks, not null
     * @param privateKey the leaf's private key, not null
     * @param password the key's password, or null for an unencrypted key; not kept
     * @return this builder
     * @throws IllegalArgumentException when the PEM cannot be read or decrypted, or the key does
     *     not belong to the leaf certificate
     * @since 0.3
     */
    public Builder keyPair(byte[] certificateChain, byte[] privateKey, char[] password) {
      return identity(TlsIdentity.of(certificateChain, privateKey, password));
    }

    /**
     * Presents what this identity holds at each handshake: replace its contents (or let it follow
     * files) to rotate certificates without a restart. Replaces a key pair or key manager set
     * before.
     *
     * @param identity the identity, not null
     * @return this builder
     * @since 0.3
     */
    public Builder identity(TlsIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      keyManager = null;
      return this;
    }

    /**
     * Presents what this key manager chooses (an {@code X509KeyManager} for the JDK's TLS);
     * replaces a key pair or identity set before.
     *
     * @param keyManager the key manager, not null
     * @return this builder
     */
    public Builder keyManager(KeyManager keyManager) {
      this.keyManager = Objects.requireNonNull(keyManager, "keyManager");
      identity = null;
      return this;
    }

    /**
     * Sets whether a server asks clients for a certificate; a channel ignores it.
     *
     * @param clientAuth the policy, not null ({@link ClientAuth#NONE} by default)
     * @return this builder
     */
    public Builder clientAuth(ClientAuth clientAuth) {
      this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
      return this;
    }

    /**
     * {@return the credentials}
     *
     * @throws IllegalStateException when {@link ClientAuth} other than NONE is asked for without an
     *     identity, since only a server asks and a server needs one
     */
    public TlsCredentials build() {
      if (clientAuth != ClientAuth.NONE && !hasIdentity()) {
        throw new IllegalStateException(
            "clientAuth "
                + clientAuth
                + " is for a server, which needs keyPair(...) or keyManager");
      }
      return new TlsCredentials(this);
    }

    private boolean hasIdentity() {
      return identity != null || keyManager != null;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsCredentials t
        && Arrays.equals(rootCertificates, t.rootCertificates)
        && Objects.equals(trustManager, t.trustManager)
        && Objects.equals(identity, t.identity)
        && Objects.equals(keyManager, t.keyManager)
        && clientAuth == t.clientAuth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(rootCertificates), trustManager, identity, keyManager, clientAuth);
  }
}
