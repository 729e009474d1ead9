package dev.switchboard.api;

import dev.switchboard.api.internal.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What one side of a TLS connection presents: a certificate chain and its private key, which can be
 * replaced while connections use it (certificate rotation without a restart). Give it to {@link
 * TlsCredentials.Builder#identity(TlsIdentity)}; each new handshake takes the {@link #current()}
 * pair, so new connections present the new certificate while connections already made keep theirs.
 *
 * <p>Three kinds:
 *
 * <ul>
 *   <li>{@link #of(byte[], byte[])}: a fixed pair, what {@link
 *       TlsCredentials.Builder#keyPair(byte[], byte[])} makes;
 *   <li>{@link #update(byte[], byte[])} replaces the pair of any identity through the API;
 *   <li>{@link #watching(Path, Path)}: a pair read from two files (they may be one file holding
 *       both), read again when either file's modification time or size changes. The files are
 *       looked at lazily, when a handshake asks for the identity, at most once per check interval
 *       (1 second by default), so no thread is needed and an idle server does no I/O. A new pair is
 *       taken only when it is complete and consistent: a half-written file or a key that does not
 *       match the new certificate is logged (System.Logger {@code dev.switchboard.api.TlsIdentity},
 *       WARNING, once per problem) and the previous pair stays in use until a good pair appears.
 * </ul>
 *
 * <p>PEM input: one or more {@code BEGIN CERTIFICATE} blocks, leaf first; a private key as PKCS#8
 * ({@code BEGIN PRIVATE KEY}), encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, with its
 * password), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}).
 * Keys encrypted the legacy OpenSSL way ({@code Proc-Type}/{@code DEK-Info} headers) are refused
 * with a message saying how to convert them ({@code openssl pkcs8 -topk8}). The key must belong to
 * the leaf certificate.
 *
 * <p>Thread-safe.
 *
 * @since 0.3
 */
public final class TlsIdentity {
  private static final System.Logger LOG = System.getLogger(TlsIdentity.class.getName());
  private static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

  private final Object lock = new Object();
  private final Path chainFile;
  private final Path keyFile;
  private final char[] keyPassword;
  private final long checkIntervalNanos;
  private final LongSupplier nanoTime;

  private volatile Snapshot current;
  private volatile long nextCheck;

  // Guarded by lock.
  private long lastVersion;
  private List<Object> seenStamps;
  private String lastProblem;

  private TlsIdentity(
      Path chainFile, Path keyFile, char[] keyPassword, Duration interval, LongSupplier nanoTime) {
    this.chainFile = chainFile;
    this.keyFile = keyFile;
    this.keyPassword = keyPassword == null ? null : keyPassword.clone();
    this.checkIntervalNanos = interval == null ? 0 : interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * {@return a fixed identity (until {@link #update(byte[], byte[]) updated})}
   *
   * @param certificateChainPem one or more {@code BEGIN CERTIFICATE} blocks, leaf first
   * @param privateKeyPem the leaf's unencrypted private key
   * @throws IllegalArgumentException when the PEM cannot be read or the key does not match
   * @since 0.3
   */
  public static TlsIdentity of(byte[] certificateChainPem, byte[] privateKeyPem) {
    return of(certificateChainPem, privateKeyPem, null);
  }

  /**
   * {@return a fixed identity (until {@link #update(byte[], byte[], char[]) updated}) whose key may
   * be encrypted}
   *
   * @param certificateChainPem one or more {@code BEGIN CERTIFICATE} blocks, leaf first
   * @param privateKeyPem the leaf's private key
   * @param keyPassword the password of an encrypted PKCS#8 key (copied), or null; ignored for an
   *     unencrypted key
   * @throws IllegalArgumentException when the PEM cannot be read or decrypted or the key does not
   *     match
   * @since 0.3
   */
  public static TlsIdentity of(
      byte[] certificateChainPem, byte[] privateKeyPem, char[] keyPassword) {
    TlsIdentity identity = new TlsIdentity(null, null, null, null, null);
    identity.update(certificateChainPem, privateKeyPem, keyPassword);
    return identity;
  }

  /**
   * {@return an identity read from PEM files and read again when they change}, checked at most once
   * a second.
   *
   * @param certificateChainFile the certificate chain, leaf first
   * @param privateKeyFile the leaf's unencrypted private key (may be the same file)
   * @throws IllegalArgumentException when the files' PEM cannot be read or the key does not match
   * @throws UncheckedIOException when a file cannot be read
   * @since 0.3
   */
  public static TlsIdentity watching(Path certificateChainFile, Path privateKeyFile) {
    return watching(certificateChainFile, privateKeyFile, null, DEFAULT_CHECK_INTERVAL);
  }

  /**
   * {@return an identity read from PEM files and read again when they change}
   *
   * @param certificateChainFile the certificate chain, leaf first
   * @param privateKeyFile the leaf's private key (may be the same file)
   * @param keyPassword the password of an encrypted PKCS#8 key (copied), or null
   * @param checkInterval the least time between two looks at the files; zero looks at every
   *     handshake
   * @throws IllegalArgumentException when the files' PEM cannot be read or the key does not match,
   *     or the interval is negative
   * @throws UncheckedIOException when a file cannot be read
   * @since 0.3
   */
  public static TlsIdentity watching(
      Path certificateChainFile, Path privateKeyFile, char[] keyPassword, Duration checkInterval) {
    return watching(
        certificateChainFile, privateKeyFile, keyPassword, checkInterval, System::nanoTime);
  }

  /** As the public {@code watching}, with a clock for tests. */
  static TlsIdentity watching(
      Path chainFile, Path keyFile, char[] password, Duration interval, LongSupplier nanoTime) {
    Objects.requireNonNull(chainFile, "certificateChainFile");
    Objects.requireNonNull(keyFile, "privateKeyFile");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("negative checkInterval: " + interval);
    }
    TlsIdentity identity = new TlsIdentity(chainFile, keyFile, password, interval, nanoTime);
    synchronized (identity.lock) {
      List<Object> stamps;
      byte[] chain;
      byte[] key;
      try {
        stamps = identity.stamps();
        chain = Files.readAllBytes(chainFile);
        key = Files.readAllBytes(keyFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the TLS identity's files: " + e, e);
      }
      identity.install(parse(chain, key, identity.keyPassword));
      identity.seenStamps = stamps;
      identity.nextCheck = nanoTime.getAsLong() + identity.checkIntervalNanos;
    }
    return identity;
  }

  /**
   * Replaces the certificate chain and key that new handshakes present; connections already made
   * keep theirs. On a watching identity the files take over again when they next change.
   *
   * @param certificateChainPem one or more {@code BEGIN CERTIFICATE} blocks, leaf first
   * @param privateKeyPem the leaf's unencrypted private key
   * @throws IllegalArgumentException when the PEM cannot be read or the key does not match; the
   *     identity is then unchanged
   * @since 0.3
   */
  public void update(byte[] certificateChainPem, byte[] privateKeyPem) {
    update(certificateChainPem, privateKeyPem, null);
  }

  /**
   * Replaces the certificate chain and key that new handshakes present; connections already made
   * keep theirs. On a watching identity the files take over again when they next change.
   *
   * @param certificateChainPem one or more {@code BEGIN CERTIFICATE} blocks, leaf first
   * @param privateKeyPem the leaf's private key
   * @param keyPassword the password of an encrypted PKCS#8 key, or null
   * @throws IllegalArgumentException when the PEM cannot be read or decrypted or the key does not
   *     match; the identity is then unchanged
   * @since 0.3
   */
  public void update(byte[] certificateChainPem, byte[] privateKeyPem, char[] keyPassword) {
    Objects.requireNonNull(certificateChainPem, "certificateChainPem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Parsed parsed = parse(certificateChainPem, privateKeyPem, keyPassword);
    synchronized (lock) {
      install(parsed);
    }
  }

  /**
   * {@return the pair new handshakes present} A watching identity first looks at its files when the
   * check interval has passed since it last did, and takes a changed, valid pair.
   *
   * @since 0.3
   */
  public Snapshot current() {
    if (chainFile != null) {
      long now = nanoTime.getAsLong();
      if (now - nextCheck >= 0) {
        synchronized (lock) {
          if (now - nextCheck >= 0) {
            nextCheck = now + checkIntervalNanos;
            checkFiles();
          }
        }
      }
    }
    return current;
  }

  /** {@return whether this identity follows files} */
  public boolean isWatching() {
    return chainFile != null;
  }

  private void checkFiles() {
    List<Object> stamps;
    byte[] chain;
    byte[] key;
    try {
      stamps = stamps();
      if (stamps.equals(seenStamps)) {
        return;
      }
      chain = Files.readAllBytes(chainFile);
      key = Files.readAllBytes(keyFile);
      if (!stamps.equals(stamps())) {
        return; // still being written: look again next time
      }
    } catch (IOException e) {
      problem("cannot read " + chainFile + " or " + keyFile + ": " + e);
      return;
    }
    seenStamps = stamps;
    Parsed parsed;
    try {
      parsed = parse(chain, key, keyPassword);
    } catch (IllegalArgumentException e) {
      problem("new contents of " + chainFile + " and " + keyFile + " refused: " + e.getMessage());
      return;
    }
    install(parsed);
    lastProblem = null;
    LOG.log(System.Logger.Level.INFO, "TLS identity reloaded from {0}: {1}", chainFile, current);
  }

  private void problem(String problem) {
    if (!problem.equals(lastProblem)) {
      lastProblem = problem;
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}; keeping version {1} of the TLS identity",
          problem,
          current.version());
    }
  }

  /** The modification times and sizes of both files. */
  private List<Object> stamps() throws IOException {
    BasicFileAttributes c = Files.readAttributes(chainFile, BasicFileAttributes.class);
    BasicFileAttributes k = Files.readAttributes(keyFile, BasicFileAttributes.class);
    FileTime cm = c.lastModifiedTime();
    FileTime km = k.lastModifiedTime();
    return List.of(cm, c.size(), km, k.size());
  }

  private void install(Parsed parsed) {
    current = new Snapshot(++lastVersion, parsed.chain, parsed.key);
  }

  private static Parsed parse(byte[] chainPem, byte[] keyPem, char[] password) {
    List<X509Certificate> chain = Pem.certificates(chainPem, "certificate chain");
    PrivateKey key = Pem.privateKey(keyPem, password);
    Pem.checkMatches(chain.get(0), key);
    return new Parsed(chain, key);
  }

  private record Parsed(List<X509Certificate> chain, PrivateKey key) {}

  @Override
  public String toString() {
    return "TlsIdentity{"
        + current
        + (chainFile != null ? ", watching " + chainFile + " and " + keyFile : "")
        + "}";
  }

  /**
   * One certificate chain and its key, as taken by one handshake. Immutable.
   *
   * @since 0.3
   */
  public static final class Snapshot {
    private final long version;
    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private Snapshot(long version, List<X509Certificate> chain, PrivateKey key) {
      this.version = version;
      this.chain = List.copyOf(chain);
      this.key = key;
    }

    /** {@return 1 for the first pair of its identity, then one more for each replacement} */
    public long version() {
      return version;
    }

    /** {@return the certificate chain, leaf first; never empty} */
    public List<X509Certificate> certificateChain() {
      return chain;
    }

    /** {@return the leaf certificate's private key} */
    public PrivateKey privateKey() {
      return key;
    }

    /** Describes the version and the leaf's subject, never the key. */
    @Override
    public String toString() {
      X509Certificate leaf = chain.get(0);
      return "version "
          + version
          + ": "
          + leaf.getSubjectX500Principal().getName()
          + " (serial "
          + leaf.getSerialNumber().toString(16)
          + ", valid until "
          + leaf.getNotAfter().toInstant()
          + ")";
    }
  }
}
