package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.TlsCredentials.ClientAuth;
import dev.switchboard.api.TlsIdentity;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.testing.CapturedLog;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import dev.switchboard.transport.netty.TestClient.Connection;
import dev.switchboard.transport.netty.TestClient.RecordingTransportListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Certificate rotation over 127.0.0.1 with both TLS providers: a {@link TlsIdentity} replaced
 * through the API or on disk changes what new connections present, connections already made keep
 * theirs and keep working, and a bad replacement leaves the previous identity in use.
 */
class TlsRotationTest {
  private static Ca ca;
  private static Identity a;
  private static Identity b;
  private static Identity c;
  private static Identity clientA;
  private static Identity clientB;

  @TempDir Path dir;

  private NettyTransportProvider provider;
  private final List<TestServer> servers = new ArrayList<>();
  private final List<ClientTransportFactory> factories = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();
  private long mtime = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.ca("rotation CA");
    a = TestCertificates.server(ca);
    b = TestCertificates.ecServer(ca);
    c = TestCertificates.server(ca);
    clientA = TestCertificates.client(ca, "client A");
    clientB = TestCertificates.client(ca, "client B");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Connection conn : connections) {
      conn.transport().shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      conn.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    for (TestServer s : servers) {
      s.close();
      s.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    for (ClientTransportFactory f : factories) {
      f.close();
    }
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void serverIdentityUpdatedThroughTheApi(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    TlsIdentity identity = TlsIdentity.of(a.chainPem(), a.pkcs8Pem());
    TestServer s = server(TlsCredentials.newBuilder().identity(identity).build());
    Connection first = ready(connect(trustingCa(), s));
    echo(first);
    assertEquals(a.cert(), serverCertificate(first));

    identity.update(b.chainPem(), b.pkcs1Pem()); // an EC key, SEC1
    assertEquals(2, identity.current().version());
    Connection second = ready(connect(trustingCa(), s));
    echo(second);
    assertEquals(b.cert(), serverCertificate(second));
    echo(first); // the first connection still works, with A
    assertEquals(a.cert(), serverCertificate(first));

    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> identity.update(c.chainPem(), a.pkcs8Pem()));
    assertTrue(bad.getMessage().contains("does not match"), bad.getMessage());
    Connection third = ready(connect(trustingCa(), s));
    assertEquals(b.cert(), serverCertificate(third), "a refused update keeps the identity");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void serverIdentityFollowsItsFiles(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    Path chain = dir.resolve("chain.pem");
    Path key = dir.resolve("key.pem");
    write(chain, a.chainPem());
    write(key, a.pkcs8Pem());
    TlsIdentity identity = TlsIdentity.watching(chain, key, null, Duration.ZERO);
    TestServer s = server(TlsCredentials.newBuilder().identity(identity).build());
    Connection first = ready(connect(trustingCa(), s));
    assertEquals(a.cert(), serverCertificate(first));

    write(chain, b.chainPem());
    write(key, b.pkcs8Pem());
    Connection second = ready(connect(trustingCa(), s));
    assertEquals(b.cert(), serverCertificate(second));
    echo(first);
    assertEquals(a.cert(), serverCertificate(first));

    try (CapturedLog log = new CapturedLog(TlsIdentity.class.getName())) {
      // half way through a rotation: the new chain, the old key
      write(chain, c.chainPem());
      Connection during = ready(connect(trustingCa(), s));
      assertEquals(b.cert(), serverCertificate(during), "a mismatched pair is not taken");
      // a truncated key file
      byte[] cKey = c.pkcs8Pem();
      write(key, Arrays.copyOf(cKey, cKey.length / 2));
      Connection truncated = ready(connect(trustingCa(), s));
      assertEquals(b.cert(), serverCertificate(truncated), "a half-written key is not taken");
      List<String> warnings = log.messages(System.Logger.Level.WARNING);
      assertEquals(2, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("does not match"), warnings.get(0));
      assertTrue(warnings.get(1).contains("keeping version 2"), warnings.get(1));
    }
    write(key, c.pkcs8Pem());
    Connection after = ready(connect(trustingCa(), s));
    assertEquals(c.cert(), serverCertificate(after));
    echo(second);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void mutualTlsClientIdentityRotates(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    TestServer s =
        server(
            TlsCredentials.newBuilder()
                .keyPair(a.chainPem(), a.pkcs8Pem())
                .rootCertificates(ca.pem())
                .clientAuth(ClientAuth.REQUIRE)
                .build());
    TlsIdentity clientIdentity = TlsIdentity.of(clientA.chainPem(), clientA.pkcs1Pem());
    TlsCredentials creds =
        TlsCredentials.newBuilder().rootCertificates(ca.pem()).identity(clientIdentity).build();
    ClientTransportFactory factory = provider.newClientTransportFactory(creds);
    factories.add(factory);
    Connection first = ready(connect(factory, s));
    assertEquals(clientA.cert(), clientCertificate(s));

    clientIdentity.update(clientB.chainPem(), clientB.pkcs8Pem());
    Connection second = ready(connect(factory, s));
    assertEquals(clientB.cert(), clientCertificate(s));
    echo(first);
    echo(second);
  }

  /** Writes {@code content} with a modification time later than any written before. */
  private void write(Path file, byte[] content) throws Exception {
    Files.write(file, content);
    mtime += 1000;
    Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
  }

  private static Certificate serverCertificate(Connection conn) {
    return conn.transport().attributes().get(TransportAttributes.PEER_CERTIFICATES).get(0);
  }

  private static Certificate clientCertificate(TestServer s) throws Exception {
    return s.nextConnection().attributes().get(TransportAttributes.PEER_CERTIFICATES).get(0);
  }

  private static TlsCredentials trustingCa() {
    return TlsCredentials.newBuilder().rootCertificates(ca.pem()).build();
  }

  private TestServer server(TransportCredentials credentials) throws Exception {
    TestServer s = TestServer.start(provider, credentials, 1 << 20, Duration.ofSeconds(10));
    servers.add(s);
    return s;
  }

  private Connection connect(TransportCredentials credentials, TestServer s) {
    ClientTransportFactory f = provider.newClientTransportFactory(credentials);
    factories.add(f);
    return connect(f, s);
  }

  private Connection connect(ClientTransportFactory f, TestServer s) {
    ClientTransport t =
        f.newClientTransport(s.address(), TestClient.options("localhost", Duration.ofSeconds(5)));
    RecordingTransportListener l = new RecordingTransportListener();
    t.start(l);
    Connection conn = new Connection(t, l);
    connections.add(conn);
    return conn;
  }

  private static Connection ready(Connection conn) throws Exception {
    conn.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return conn;
  }

  private static void echo(Connection conn) throws Exception {
    byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
    TestClient.Call call = conn.call("test/Echo").unary(ping, 2);
    assertArrayEquals(ping, call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
  }
}
