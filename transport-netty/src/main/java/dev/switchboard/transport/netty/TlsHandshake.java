package dev.switchboard.transport.netty;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.SecurityLevel;
import dev.switchboard.api.transport.TransportAttributes;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** What both sides do with a finished TLS handshake: check ALPN, describe it, explain failures. */
final class TlsHandshake {
  private TlsHandshake() {}

  /** {@return why the negotiated application protocol is refused, or null when it is h2} */
  static String alpnProblem(SslHandler ssl) {
    String protocol = ssl.applicationProtocol();
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      return null;
    }
    return protocol == null
        ? "the peer did not negotiate h2 with ALPN (no protocol chosen)"
        : "the peer negotiated '" + protocol + "' with ALPN instead of h2";
  }

  /** {@return the attributes describing a finished handshake, on top of {@code base}} */
  static Attributes attributes(Attributes base, SslHandler ssl) {
    SSLSession session = ssl.engine().getSession();
    Attributes.Builder b =
        base.toBuilder()
            .set(TransportAttributes.SSL_SESSION, session)
            .set(TransportAttributes.SECURITY_LEVEL, SecurityLevel.PRIVACY_AND_INTEGRITY)
            .set(TransportAttributes.APPLICATION_PROTOCOL, ssl.applicationProtocol());
    try {
      List<Certificate> peer = List.copyOf(Arrays.asList(session.getPeerCertificates()));
      b.set(TransportAttributes.PEER_CERTIFICATES, peer);
    } catch (SSLPeerUnverifiedException e) {
      // the peer presented no certificate: no attribute
    }
    return b.build();
  }

  /** {@return a description of a TLS failure, with its deepest cause and a hint when one helps} */
  static String describe(Throwable cause) {
    Throwable ssl = cause;
    while (ssl != null && !(ssl instanceof SSLException)) {
      ssl = ssl.getCause();
    }
    Throwable top = ssl != null ? ssl : cause;
    Throwable root = top;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StringBuilder s = new StringBuilder(String.valueOf(top.getMessage()));
    if (root != top && root.getMessage() != null && !s.toString().contains(root.getMessage())) {
      s.append(" (").append(root.getMessage()).append(')');
    }
    if (top instanceof NotSslRecordException) {
      s.append("; the peer does not speak TLS: is it plaintext?");
    }
    return s.toString();
  }

  /** {@return whether {@code cause} is, or is caused by, a TLS failure} */
  static boolean isTlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
