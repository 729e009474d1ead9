package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.TlsIdentity;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsIdentity} on its own: key formats and the messages for those refused, validation of
 * updates, and the lazy file check under a fake clock. (Here rather than in the api module, whose
 * tests cannot use the testing module's certificates: that module depends on the api. The fake
 * clock goes through TlsIdentity's package-private factory, reached by reflection: tests run on the
 * class path.)
 */
class TlsIdentityTest {
  private static final char[] PASSWORD = "correct horse".toCharArray();

  private static Ca ca;
  private static Identity rsa;
  private static Identity ec;

  @TempDir Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.ca("identity CA");
    rsa = TestCertificates.server(ca);
    ec = TestCertificates.ecServer(ca);
  }

  @Test
  void readsEveryKeyFormat() {
    assertEquals("RSA", key(rsa.chainPem(), rsa.pkcs8Pem(), null));
    assertEquals("RSA", key(rsa.chainPem(), rsa.pkcs1Pem(), null));
    assertEquals("RSA", key(rsa.chainPem(), rsa.encryptedPkcs8Pem(PASSWORD), PASSWORD));
    assertEquals("EC", key(ec.chainPem(), ec.pkcs8Pem(), null));
    assertEquals("EC", key(ec.chainPem(), ec.pkcs1Pem(), null)); // SEC1
    assertEquals("EC", key(ec.chainPem(), ec.encryptedPkcs8Pem(PASSWORD), PASSWORD));
    // openssl ecparam -genkey writes the curve's parameters before the key
    byte[] withParams =
        concat(
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n" + "-----END EC PARAMETERS-----\n",
            ec.pkcs1Pem());
    assertEquals("EC", key(ec.chainPem(), withParams, null));
    TlsIdentity.Snapshot s = TlsIdentity.of(rsa.chainPem(), rsa.pkcs8Pem()).current();
    assertEquals(1, s.version());
    assertEquals(rsa.cert(), s.certificateChain().get(0));
    assertEquals(ca.cert(), s.certificateChain().get(1));
  }

  @Test
  void refusedKeysSayWhatIsWrongAndHowToConvert() {
    assertRefused(rsa.encryptedPkcs8Pem(PASSWORD), null, "is encrypted", "give its password");
    assertRefused(
        rsa.encryptedPkcs8Pem(PASSWORD), "wrong".toCharArray(), "cannot decrypt", "password");
    String legacy =
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
            + "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\nAAAA\n"
            + "-----END RSA PRIVATE KEY-----\n";
    assertRefused(ascii(legacy), PASSWORD, "legacy", "openssl pkcs8 -topk8");
    String ssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    assertRefused(
        ascii(ssh),
        null,
        "unsupported private key PEM (BEGIN OPENSSH PRIVATE KEY)",
        "openssl pkcs8 -topk8");
    assertRefused(rsa.chainPem(), null, "no private key", "BEGIN EC PRIVATE KEY");
    assertRefused(ec.pkcs8Pem(), null, "does not match", "CN=test server");
  }

  @Test
  void aRefusedUpdateKeepsTheIdentity() {
    TlsIdentity identity = TlsIdentity.of(rsa.chainPem(), rsa.pkcs1Pem());
    TlsIdentity.Snapshot before = identity.current();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> identity.update(rsa.chainPem(), ec.pkcs8Pem()));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    assertSame(before, identity.current());
    identity.update(ec.chainPem(), ec.pkcs8Pem());
    assertEquals(2, identity.current().version());
    assertEquals(ec.cert(), identity.current().certificateChain().get(0));
    assertTrue(identity.toString().contains("version 2"), identity.toString());
    assertTrue(!identity.toString().contains("PRIVATE"), identity.toString());
  }

  @Test
  void watchedFilesAreLookedAtOncePerIntervalWhenAsked() throws Exception {
    Path chain = dir.resolve("chain.pem");
    Path key = dir.resolve("key.pem");
    write(chain, rsa.chainPem(), 1);
    write(key, rsa.pkcs8Pem(), 1);
    AtomicLong nanos = new AtomicLong();
    TlsIdentity identity = watchingWithClock(chain, key, Duration.ofSeconds(1), nanos::get);
    assertTrue(identity.isWatching());
    assertEquals(rsa.cert(), identity.current().certificateChain().get(0));

    write(chain, ec.chainPem(), 2);
    write(key, ec.pkcs1Pem(), 2);
    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    assertEquals(1, identity.current().version(), "not looked at before the interval");
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertEquals(ec.cert(), identity.current().certificateChain().get(0));
    assertEquals(2, identity.current().version());

    // unchanged files are not read again; an API update holds until the files change
    identity.update(rsa.chainPem(), rsa.pkcs8Pem());
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    assertEquals(rsa.cert(), identity.current().certificateChain().get(0));
    write(chain, rsa.chainPem(), 3);
    write(key, rsa.pkcs1Pem(), 3); // the same pair in another format: still a new version
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertEquals(4, identity.current().version());
  }

  @Test
  void watchingFailsAtOnceOnBadOrMissingFiles() throws Exception {
    Path chain = dir.resolve("chain.pem");
    Path key = dir.resolve("key.pem");
    write(chain, rsa.chainPem(), 1);
    assertThrows(java.io.UncheckedIOException.class, () -> TlsIdentity.watching(chain, key));
    write(key, ec.pkcs8Pem(), 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TlsIdentity.watching(chain, key));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    // one file holding both
    Path both = dir.resolve("both.pem");
    write(both, concat(new String(rsa.pkcs8Pem(), StandardCharsets.US_ASCII), rsa.chainPem()), 1);
    assertEquals(rsa.cert(), TlsIdentity.watching(both, both).current().certificateChain().get(0));
  }

  private static TlsIdentity watchingWithClock(
      Path chain, Path key, Duration interval, LongSupplier nanoTime) throws Exception {
    java.lang.reflect.Method m =
        TlsIdentity.class.getDeclaredMethod(
            "watching", Path.class, Path.class, char[].class, Duration.class, LongSupplier.class);
    m.setAccessible(true);
    return (TlsIdentity) m.invoke(null, chain, key, null, interval, nanoTime);
  }

  private static String key(byte[] chain, byte[] key, char[] password) {
    return TlsIdentity.of(chain, key, password).current().privateKey().getAlgorithm();
  }

  private static void assertRefused(byte[] key, char[] password, String... expected) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TlsIdentity.of(rsa.chainPem(), key, password));
    for (String x : expected) {
      assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
    }
  }

  private static void write(Path file, byte[] content, int second) throws Exception {
    Files.write(file, content);
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_900_000_000_000L + second * 1000L));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(String a, byte[] b) {
    byte[] head = ascii(a);
    byte[] out = new byte[head.length + b.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(b, 0, out, head.length, b.length);
    return out;
  }
}
