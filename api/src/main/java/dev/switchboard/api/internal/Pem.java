package dev.switchboard.api.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM certificates and private keys with the JDK alone: PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, with a password), PKCS#1 RSA ({@code BEGIN
 * RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}). Every failure is an {@link
 * IllegalArgumentException} saying what is wrong and, when it helps, how to convert the key.
 * Stateless.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final String CONVERT =
      "convert it to PKCS#8 with `openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem` (add"
          + " -nocrypt to leave it unencrypted)";
  private static final String PBES2_OID = "1.2.840.113549.1.5.13";
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
  // OBJECT IDENTIFIER id-ecPublicKey (1.2.840.10045.2.1), DER.
  private static final byte[] EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private Pem() {}

  /**
   * {@return the certificates in {@code pem}, in order}
   *
   * @param pem one or more {@code BEGIN CERTIFICATE} blocks
   * @param what what they are, for messages ("certificate chain")
   * @throws IllegalArgumentException when there is none or one cannot be read
   */
  public static List<X509Certificate> certificates(byte[] pem, String what) {
    try {
      // only the CERTIFICATE blocks: the file may also hold the key, or text between blocks
      StringBuilder blocks = new StringBuilder();
      Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          blocks.append(m.group()).append('\n');
        }
      }
      if (blocks.length() == 0) {
        throw new IllegalArgumentException(
            "no certificate (BEGIN CERTIFICATE) in the " + what + " PEM");
      }
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(blocks.toString().getBytes(StandardCharsets.US_ASCII)))
              .stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in the " + what + " PEM");
      }
      return certs;
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("unreadable " + what + " PEM: " + e.getMessage(), e);
    }
  }

  /**
   * {@return the first private key in {@code pem}}
   *
   * @param pem a PEM private key block (other blocks, such as {@code EC PARAMETERS}, are skipped)
   * @param password the password of an encrypted PKCS#8 key, or null; ignored for other keys
   * @throws IllegalArgumentException when there is no key, it is of an unsupported kind, it is
   *     encrypted and no or the wrong password is given, or it is malformed
   */
  public static PrivateKey privateKey(byte[] pem, char[] password) {
    Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (m.find()) {
      String type = m.group(1);
      if (!type.endsWith("PRIVATE KEY")) {
        continue;
      }
      String body = m.group(2);
      if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
        throw new IllegalArgumentException(
            "the private key PEM ("
                + type
                + ") is encrypted the legacy OpenSSL way (Proc-Type/DEK-Info headers), which is"
                + " not supported: "
                + CONVERT);
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the private key PEM (" + type + ") is not valid base64: " + e.getMessage(), e);
      }
      return switch (type) {
        case "PRIVATE KEY" -> pkcs8(der, List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "XDH"));
        case "RSA PRIVATE KEY" -> pkcs8(wrap(RSA_ALGORITHM, der), List.of("RSA"));
        case "EC PRIVATE KEY" -> pkcs8(sec1ToPkcs8(der), List.of("EC"));
        case "ENCRYPTED PRIVATE KEY" ->
            pkcs8(decrypt(der, password), List.of("RSA", "EC", "EdDSA"));
        default ->
            throw new IllegalArgumentException(
                "unsupported private key PEM (BEGIN "
                    + type
                    + "): use PKCS#8 (BEGIN PRIVATE KEY, or BEGIN ENCRYPTED PRIVATE KEY with a"
                    + " password), PKCS#1 (BEGIN RSA PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY);"
                    + " "
                    + CONVERT);
      };
    }
    throw new IllegalArgumentException(
        "no private key in the private key PEM (expected BEGIN PRIVATE KEY, BEGIN ENCRYPTED"
            + " PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
  }

  /**
   * Checks that {@code key} is the private key of {@code leaf}'s public key.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static void checkMatches(X509Certificate leaf, PrivateKey key) {
    PublicKey pub = leaf.getPublicKey();
    String problem = null;
    if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
      problem =
          "a "
              + key.getAlgorithm()
              + " key for a "
              + pub.getAlgorithm()
              + " certificate public key";
    } else if (pub instanceof RSAKey rp && key instanceof RSAKey rk) {
      if (!rp.getModulus().equals(rk.getModulus())) {
        problem = "its RSA modulus differs from the certificate's";
      }
    } else {
      String algorithm =
          switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
          };
      if (algorithm != null && !signatureVerifies(algorithm, key, pub)) {
        problem = "a signature made with it does not verify with the certificate's public key";
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          "the private key does not match the leaf certificate ("
              + leaf.getSubjectX500Principal().getName()
              + "): "
              + problem);
    }
  }

  private static boolean signatureVerifies(String algorithm, PrivateKey key, PublicKey pub) {
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(challenge);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(pub);
      verify.update(challenge);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PrivateKey pkcs8(byte[] der, List<String> algorithms) {
    for (String algorithm : algorithms) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        "malformed private key, or one of an algorithm other than " + algorithms);
  }

  private static byte[] decrypt(byte[] der, char[] password) {
    if (password == null) {
      throw new IllegalArgumentException(
          "the private key is encrypted (BEGIN ENCRYPTED PRIVATE KEY): give its password");
    }
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      AlgorithmParameters params = info.getAlgParameters();
      String algorithm = info.getAlgName();
      if ((PBES2_OID.equals(algorithm) || "PBES2".equals(algorithm)) && params != null) {
        algorithm = params.toString(); // e.g. PBEWithHmacSHA256AndAES_256
      }
      SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
      PBEKeySpec spec = new PBEKeySpec(password);
      try {
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(spec), params);
        return info.getKeySpec(cipher).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalArgumentException(
          "the private key is encrypted with an algorithm this JDK lacks ("
              + e.getMessage()
              + "): "
              + CONVERT
              + ", or re-encrypt it with -v2 aes-256-cbc",
          e);
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot decrypt the private key (BEGIN ENCRYPTED PRIVATE KEY): wrong password or"
              + " damaged key ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** Wraps a SEC1 ECPrivateKey in a PKCS#8 PrivateKeyInfo, taking the curve from its parameters. */
  private static byte[] sec1ToPkcs8(byte[] sec1) {
    byte[] curve = null;
    try {
      Der seq = new Der(sec1, 0);
      if (seq.tag != 0x30) {
        throw new IllegalArgumentException("not a SEQUENCE");
      }
      for (int at = seq.start; at < seq.end; ) {
        Der field = new Der(sec1, at);
        if (field.tag == 0xa0) { // [0] parameters: the named curve's OBJECT IDENTIFIER
          Der oid = new Der(sec1, field.start);
          if (oid.tag == 0x06) {
            curve = java.util.Arrays.copyOfRange(sec1, field.start, oid.end);
          }
        }
        at = field.end;
      }
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("malformed EC private key (BEGIN EC PRIVATE KEY)", e);
    }
    if (curve == null) {
      throw new IllegalArgumentException(
          "the EC private key (BEGIN EC PRIVATE KEY) does not name its curve: " + CONVERT);
    }
    ByteArrayOutputStream algorithm = new ByteArrayOutputStream();
    algorithm.writeBytes(EC_PUBLIC_KEY);
    algorithm.writeBytes(curve);
    return wrap(tlv(0x30, algorithm.toByteArray()), sec1);
  }

  /** A PKCS#8 PrivateKeyInfo: version 0, {@code algorithm}, {@code key} in an OCTET STRING. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
    body.writeBytes(algorithm);
    body.writeBytes(tlv(0x04, key));
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** One DER element's tag and where its content starts and ends. */
  private static final class Der {
    final int tag;
    final int start;
    final int end;

    Der(byte[] der, int at) {
      tag = der[at] & 0xff;
      int length = der[at + 1] & 0xff;
      int p = at + 2;
      if (length >= 0x80) {
        int bytes = length & 0x7f;
        if (bytes == 0 || bytes > 3) {
          throw new IllegalArgumentException("unsupported DER length");
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[p++] & 0xff);
        }
      }
      start = p;
      end = p + length;
      if (end > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
    }
  }
}
