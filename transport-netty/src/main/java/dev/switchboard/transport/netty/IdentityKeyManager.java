package dev.switchboard.transport.netty;

import dev.switchboard.api.TlsIdentity;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents a {@link TlsIdentity}'s current pair. Choosing an alias takes the identity's current
 * snapshot and names it by version ({@code identity-v3}); the chain and key are then looked up by
 * that alias, so one handshake sees one consistent pair even when the identity is replaced between
 * the lookups. The last few snapshots handed out are remembered for those lookups. Issuers the peer
 * asks for are not checked: the only identity is offered and the peer decides. Thread-safe.
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {
  private static final String PREFIX = "identity-v";
  private static final int REMEMBERED = 8;

  private final TlsIdentity identity;
  private final Map<Long, TlsIdentity.Snapshot> recent =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, TlsIdentity.Snapshot> eldest) {
          return size() > REMEMBERED;
        }
      };

  IdentityKeyManager(TlsIdentity identity) {
    this.identity = identity;
  }

  /** {@return the alias of the current snapshot if its key is of one of these types, else null} */
  private String choose(String... keyTypes) {
    TlsIdentity.Snapshot s = identity.current();
    if (!matches(s.privateKey(), keyTypes)) {
      return null;
    }
    synchronized (recent) {
      recent.put(s.version(), s);
    }
    return PREFIX + s.version();
  }

  /**
   * Whether {@code key} is of a requested type: {@code RSA}, {@code EC}, {@code EdDSA}, or
   * OpenSSL's {@code EC_RSA}-style names (key type, then the certificate's signature type, not
   * checked).
   */
  static boolean matches(PrivateKey key, String... keyTypes) {
    if (keyTypes == null) {
      return true;
    }
    String algorithm = key.getAlgorithm();
    for (String type : keyTypes) {
      if (type == null) {
        return true;
      }
      int underscore = type.indexOf('_');
      String keyType = underscore < 0 ? type : type.substring(0, underscore);
      if (keyType.equalsIgnoreCase(algorithm)
          || (keyType.equals("EdDSA")
              && (algorithm.equals("Ed25519") || algorithm.equals("Ed448")))) {
        return true;
      }
    }
    return false;
  }

  private TlsIdentity.Snapshot snapshot(String alias) {
    if (alias == null || !alias.startsWith(PREFIX)) {
      return null;
    }
    long version;
    try {
      version = Long.parseLong(alias.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return null;
    }
    synchronized (recent) {
      TlsIdentity.Snapshot s = recent.get(version);
      if (s != null) {
        return s;
      }
    }
    TlsIdentity.Snapshot current = identity.current();
    return current.version() == version ? current : null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return choose(keyType);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return choose(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return choose(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(keyType);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = choose(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    TlsIdentity.Snapshot s = snapshot(alias);
    return s == null ? null : s.certificateChain().toArray(new X509Certificate[0]);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    TlsIdentity.Snapshot s = snapshot(alias);
    return s == null ? null : s.privateKey();
  }
}
