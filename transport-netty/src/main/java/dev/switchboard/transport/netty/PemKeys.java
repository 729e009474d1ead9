package dev.switchboard.transport.netty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and unencrypted private keys (PKCS#8, or PKCS#1 RSA) with the JDK alone.
 */
final class PemKeys {
  private static final Pattern KEY =
      Pattern.compile(
          "-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1?PRIVATE KEY-----");
  // AlgorithmIdentifier { rsaEncryption, NULL }, DER.
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

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

  /** {@return the first unencrypted private key in {@code pem}} */
  static PrivateKey privateKey(byte[] pem) {
    Matcher m = KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new IllegalArgumentException(
          "no unencrypted PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY) key in the"
              + " private key PEM");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(2));
    boolean pkcs1 = m.group(1) != null;
    byte[] pkcs8 = pkcs1 ? wrapRsa(der) : der;
    for (String algorithm : pkcs1 ? List.of("RSA") : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("unsupported or malformed private key in the PEM");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
  private static byte[] wrapRsa(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04); // OCTET STRING
    writeLength(body, pkcs1.length);
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30); // SEQUENCE
    writeLength(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
      return;
    }
    int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
    out.write(0x80 | bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write(length >>> (8 * i));
    }
  }
}
