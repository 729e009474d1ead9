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
 * <p><b>Identity</b> (what this side presents): a PEM certificate chain and private key (PKCS#8
 * {@code BEGIN PRIVATE KEY} or PKCS#1 {@code BEGIN RSA PRIVATE KEY}, unencrypted), or a {@link
 * KeyManager}. A server needs one; a channel needs one only for mutual TLS.
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
  private final byte[] certificateChain;
  private final byte[] privateKey;
  private final KeyManager keyManager;
  private final ClientAuth clientAuth;

  private TlsCredentials(Builder b) {
    rootCertificates = b.rootCertificates;
    trustManager = b.trustManager;
    certificateChain = b.certificateChain;
    privateKey = b.privateKey;
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

  /** {@return the PEM certificate chain this side presents (a copy), or {@code null}} */
  public byte[] certificateChain() {
    return certificateChain == null ? null : certificateChain.clone();
  }

  /** {@return the PEM private key of {@link #certificateChain()} (a copy), or {@code null}} */
  public byte[] privateKey() {
    return privateKey == null ? null : privateKey.clone();
  }

  /** {@return the key manager choosing what this side presents, or {@code null}} */
  public KeyManager keyManager() {
    return keyManager;
  }

  /** {@return whether this side has an identity to present (a PEM key or a key manager)} */
  public boolean hasIdentity() {
    return certificateChain != null || keyManager != null;
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
        + (keyManager != null ? "keyManager" : certificateChain != null ? "pem" : "none")
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
    private byte[] certificateChain;
    private byte[] privateKey;
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
     * Presents this PEM certificate chain (leaf first) and its private key; replaces a key manager
     * set before.
     *
     * @param certificateChain one or more {@code BEGIN CERTIFICATE} blocks, not null (copied)
     * @param privateKey an unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN
     *     RSA PRIVATE KEY}) key, not null (copied)
     * @return this builder
     */
    public Builder keyPair(byte[] certificateChain, byte[] privateKey) {
      this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain").clone();
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey").clone();
      keyManager = null;
      return this;
    }

    /**
     * Presents what this key manager chooses (an {@code X509KeyManager} for the JDK's TLS);
     * replaces a PEM key pair set before.
     *
     * @param keyManager the key manager, not null
     * @return this builder
     */
    public Builder keyManager(KeyManager keyManager) {
      this.keyManager = Objects.requireNonNull(keyManager, "keyManager");
      certificateChain = null;
      privateKey = null;
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
      return certificateChain != null || keyManager != null;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsCredentials t
        && Arrays.equals(rootCertificates, t.rootCertificates)
        && Objects.equals(trustManager, t.trustManager)
        && Arrays.equals(certificateChain, t.certificateChain)
        && Arrays.equals(privateKey, t.privateKey)
        && Objects.equals(keyManager, t.keyManager)
        && clientAuth == t.clientAuth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(rootCertificates),
        trustManager,
        Arrays.hashCode(certificateChain),
        Arrays.hashCode(privateKey),
        keyManager,
        clientAuth);
  }
}
