package dev.switchboard.transport.netty;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads PEM trust roots with the JDK alone. (Identities, with their keys, are read by the api's
 * {@link dev.switchboard.api.TlsIdentity}.)
 */
final class PemKeys {
  private PemKeys() {}

  /** {@return the certificates in {@code pem}, in order} */
  static X509Certificate[] certificates(byte[] pem, String what) {
    try {
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))
              .stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in the " + what + " PEM");
      }
      return certs.toArray(new X509Certificate[0]);
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("unreadable " + what + " PEM: " + e.getMessage(), e);
    }
  }
}
