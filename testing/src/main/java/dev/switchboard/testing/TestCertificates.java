package dev.switchboard.testing;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made fresh for each test run (none is committed): two CAs, and PEM identities signed
 * by them. Server certificates name {@code localhost}, {@code foo.test.example} and {@code
 * 127.0.0.1}.
 */
public final class TestCertificates {
  /** The DNS names every server certificate carries (it also carries the IP 127.0.0.1). */
  public static final List<String> SERVER_NAMES = List.of("localhost", "foo.test.example");

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /**
   * A certificate authority.
   *
   * @param keys its key pair
   * @param cert its self-signed certificate
   * @param name its common name
   */
  public record Ca(KeyPair keys, X509Certificate cert, String name) {
    /** {@return the authority's certificate as PEM, for trust roots} */
    public byte[] pem() {
      return TestCertificates.pem(cert);
    }
  }

  /**
   * A PEM identity: a certificate chain and its key.
   *
   * @param cert the leaf certificate
   * @param chainPem the chain, leaf first, as PEM
   * @param pkcs8Pem the private key as PKCS#8 PEM
   * @param pkcs1Pem the private key as PKCS#1 (RSA) PEM, or SEC1 ({@code BEGIN EC PRIVATE KEY}) PEM
   *     for an EC key
   * @param keys the leaf's key pair
   */
  public record Identity(
      X509Certificate cert, byte[] chainPem, byte[] pkcs8Pem, byte[] pkcs1Pem, KeyPair keys) {
    /**
     * {@return the private key as encrypted PKCS#8 PEM ({@code BEGIN ENCRYPTED PRIVATE KEY}), as
     * {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes it: PBES2, PBKDF2 with HMAC-SHA256}
     *
     * @param password the password
     */
    public byte[] encryptedPkcs8Pem(char[] password) {
      try {
        JceOpenSSLPKCS8EncryptorBuilder b =
            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC);
        b.setPassword(password);
        b.setPRF(PKCS8Generator.PRF_HMACSHA256);
        b.setIterationCount(2048);
        b.setProvider(new BouncyCastleProvider());
        PemObject pem = new JcaPKCS8Generator(keys.getPrivate(), b.build()).generate();
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
          w.writeObject(pem);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() {}

  /**
   * A new self-signed certificate authority.
   *
   * @param name its common name
   * @return the authority
   * @throws Exception when the JDK or BouncyCastle cannot make it
   */
  public static Ca ca(String name) throws Exception {
    KeyPair keys = rsa();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Ca(keys, sign(b, keys.getPrivate()), name);
  }

  /**
   * A server identity valid now, for {@link #SERVER_NAMES} and 127.0.0.1.
   *
   * @param ca the issuer
   * @return the identity
   * @throws Exception when it cannot be made
   */
  public static Identity server(Ca ca) throws Exception {
    Instant now = Instant.now();
    return issue(
        ca, "CN=test server", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), true);
  }

  /**
   * A server identity that expired yesterday.
   *
   * @param ca the issuer
   * @return the identity
   * @throws Exception when it cannot be made
   */
  public static Identity expiredServer(Ca ca) throws Exception {
    Instant now = Instant.now();
    return issue(
        ca,
        "CN=expired server",
        now.minus(Duration.ofDays(3)),
        now.minus(Duration.ofDays(1)),
        true);
  }

  /**
   * A server identity like {@link #server(Ca)} but with an EC (P-256) key, whose {@link
   * Identity#pkcs1Pem()} is SEC1 ({@code BEGIN EC PRIVATE KEY}) PEM.
   *
   * @param ca the issuer
   * @return the identity
   * @throws Exception when it cannot be made
   */
  public static Identity ecServer(Ca ca) throws Exception {
    Instant now = Instant.now();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return issue(
        ca,
        "CN=EC test server",
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(1)),
        true,
        g.generateKeyPair());
  }

  /**
   * A client identity.
   *
   * @param ca the issuer
   * @param name the client's common name
   * @return the identity
   * @throws Exception when it cannot be made
   */
  public static Identity client(Ca ca, String name) throws Exception {
    Instant now = Instant.now();
    return issue(
        ca, "CN=" + name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), false);
  }

  private static Identity issue(Ca ca, String subject, Instant from, Instant to, boolean server)
      throws Exception {
    return issue(ca, subject, from, to, server, rsa());
  }

  private static Identity issue(
      Ca ca, String subject, Instant from, Instant to, boolean server, KeyPair keys)
      throws Exception {
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            ca.cert(),
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(from),
            Date.from(to),
            new X500Name(subject),
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    if (server) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, SERVER_NAMES.get(0)),
                new GeneralName(GeneralName.dNSName, SERVER_NAMES.get(1)),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
    }
    X509Certificate cert = sign(b, ca.keys().getPrivate());
    byte[] chain = concat(pem(cert), pem(ca.cert()));
    byte[] traditional =
        keys.getPrivate().getAlgorithm().equals("EC") ? sec1(keys) : pkcs1(keys.getPrivate());
    return new Identity(cert, chain, pkcs8(keys.getPrivate()), traditional, keys);
  }

  private static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  /**
   * {@return {@code cert} as PEM}
   *
   * @param cert the certificate
   */
  public static byte[] pem(X509Certificate cert) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(cert);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] pkcs8(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static byte[] pkcs1(PrivateKey key) throws java.io.IOException {
    byte[] der =
        PrivateKeyInfo.getInstance(key.getEncoded())
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded();
    return block("RSA PRIVATE KEY", der);
  }

  /** SEC1 ECPrivateKey with its curve and public key, as {@code openssl ec} writes it. */
  private static byte[] sec1(KeyPair keys) throws java.io.IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    SubjectPublicKeyInfo pub = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey withCurve =
        new ECPrivateKey(
            256,
            inner.getKey(),
            pub.getPublicKeyData(),
            info.getPrivateKeyAlgorithm().getParameters());
    return block("EC PRIVATE KEY", withCurve.getEncoded());
  }

  private static byte[] block(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
