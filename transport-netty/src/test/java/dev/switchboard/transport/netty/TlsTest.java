package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Status;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.TlsCredentials.ClientAuth;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import dev.switchboard.transport.netty.TestClient.Connection;
import dev.switchboard.transport.netty.TestClient.RecordingTransportListener;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS between the Netty client and server transports over 127.0.0.1: good handshakes (ALPN h2,
 * attributes, PKCS#8 and PKCS#1 keys, mutual TLS, authority override) and each bad one, which gives
 * the client an UNAVAILABLE status saying what went wrong and leaves the server serving. The
 * essential cases run with both TLS providers (the JDK's and OpenSSL through netty-tcnative).
 */
class TlsTest {
  private static Ca ca;
  private static Ca otherCa;
  private static Identity server;
  private static Identity expired;
  private static Identity client;

  private NettyTransportProvider provider = new NettyTransportProvider("jdk");
  private final List<TestServer> servers = new ArrayList<>();
  private final List<ClientTransportFactory> factories = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.ca("test CA");
    otherCa = TestCertificates.ca("other CA");
    server = TestCertificates.server(ca);
    expired = TestCertificates.expiredServer(ca);
    client = TestCertificates.client(ca, "test client");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Connection c : connections) {
      c.transport().shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
  void unaryCallOverTlsAndBothSidesSeeTheSession(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    TestServer s = server(serverCreds(server, false, ClientAuth.NONE));
    Connection c = connect(trustingCa(), s, "localhost:443");
    String how = factories.get(0).describe();
    assertTrue(how.startsWith(tls.equals("jdk") ? "TLS by the JDK" : "TLS by OpenSSL"), how);
    c.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    echo(c);

    Attributes serverSide = s.nextConnection().attributes();
    assertEquals("h2", serverSide.get(TransportAttributes.APPLICATION_PROTOCOL));
    String protocol = serverSide.get(TransportAttributes.SSL_SESSION).getProtocol();
    assertTrue(protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2"), protocol);
    assertTrue(serverSide.get(TransportAttributes.REMOTE_ADDRESS) != null);
    assertNull(serverSide.get(TransportAttributes.PEER_CERTIFICATES), "client sent no cert");

    Attributes clientSide = c.transport().attributes();
    assertEquals("h2", clientSide.get(TransportAttributes.APPLICATION_PROTOCOL));
    List<Certificate> peer = clientSide.get(TransportAttributes.PEER_CERTIFICATES);
    assertEquals(server.cert(), peer.get(0));
    assertTrue(clientSide.get(TransportAttributes.REMOTE_ADDRESS) != null);
  }

  @Test
  void pkcs1KeyAndAuthorityOverride() throws Exception {
    TestServer s = server(serverCreds(server, true, ClientAuth.NONE));
    // connected to 127.0.0.1, verified against the authority's host
    echo(ready(connect(trustingCa(), s, "foo.test.example:50051")));
    echo(ready(connect(trustingCa(), s, "127.0.0.1:50051")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void mutualTlsServerSeesClientCertificate(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    TestServer s = server(serverCreds(server, false, ClientAuth.REQUIRE));
    TlsCredentials withCert =
        TlsCredentials.newBuilder()
            .rootCertificates(ca.pem())
            .keyPair(client.chainPem(), client.pkcs8Pem())
            .build();
    echo(ready(connect(withCert, s, "localhost")));
    List<Certificate> peer =
        s.nextConnection().attributes().get(TransportAttributes.PEER_CERTIFICATES);
    assertEquals(
        "CN=test client", ((X509Certificate) peer.get(0)).getSubjectX500Principal().getName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void wrongCa(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    TestServer s = server(serverCreds(server, false, ClientAuth.NONE));
    TlsCredentials trustingOther =
        TlsCredentials.newBuilder().rootCertificates(otherCa.pem()).build();
    // JDK: "PKIX path building failed: ... unable to find valid certification path ..."
    assertFailure(connect(trustingOther, s, "localhost"), "valid certification path");
    echo(ready(connect(trustingCa(), s, "localhost")));
  }

  @Test
  void expiredCertificate() throws Exception {
    TestServer bad = server(serverCreds(expired, false, ClientAuth.NONE));
    assertFailure(connect(trustingCa(), bad, "localhost"), "validity check failed");
    TestServer good = server(serverCreds(server, false, ClientAuth.NONE));
    echo(ready(connect(trustingCa(), good, "localhost")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void hostnameMismatch(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    TestServer s = server(serverCreds(server, false, ClientAuth.NONE));
    assertFailure(connect(trustingCa(), s, "wrong.test.example:443"), "wrong.test.example");
    echo(ready(connect(trustingCa(), s, "localhost")));
  }

  @Test
  void plaintextClientToTlsPort() throws Exception {
    TestServer s = server(serverCreds(server, false, ClientAuth.NONE));
    assertFailure(
        connect(TransportCredentials.insecure(), s, "localhost"), "does the server expect TLS?");
    echo(ready(connect(trustingCa(), s, "localhost")));
  }

  @Test
  void tlsClientToPlaintextPort() throws Exception {
    TestServer s = server(TransportCredentials.insecure());
    assertFailure(connect(trustingCa(), s, "localhost"), "TLS handshake with localhost");
    echo(ready(connect(TransportCredentials.insecure(), s, "localhost")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void missingClientCertificateUnderRequiredClientAuth(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    TestServer s = server(serverCreds(server, false, ClientAuth.REQUIRE));
    Status status = failure(connect(trustingCa(), s, "localhost"));
    String d = status.getDescription().toLowerCase(java.util.Locale.ROOT);
    assertTrue(d.contains("certificate_required") || d.contains("bad_certificate"), d);
    TlsCredentials withCert =
        TlsCredentials.newBuilder()
            .rootCertificates(ca.pem())
            .keyPair(client.chainPem(), client.pkcs1Pem())
            .build();
    echo(ready(connect(withCert, s, "localhost")));
  }

  @Test
  void serverWithoutIdentityAndUnknownCredentialsAreRefused() {
    IllegalArgumentException noKey =
        assertThrows(IllegalArgumentException.class, () -> server(trustingCa()));
    assertTrue(noKey.getMessage().contains("need a certificate and key"), noKey.getMessage());
    TransportCredentials custom = new TransportCredentials() {};
    assertTrue(provider.supportsCredentials(TransportCredentials.insecure()));
    assertTrue(provider.supportsCredentials(trustingCa()));
    assertTrue(!provider.supportsCredentials(custom));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> provider.newClientTransportFactory(custom));
    assertTrue(unknown.getMessage().contains(custom.getClass().getName()), unknown.getMessage());
  }

  /** One handshake per key format, with each provider: the key decides what the server can sign. */
  @ParameterizedTest
  @CsvSource({
    "jdk, rsa-pkcs8",
    "jdk, rsa-pkcs1",
    "jdk, rsa-encrypted-pkcs8",
    "jdk, ec-pkcs8",
    "jdk, ec-sec1",
    "jdk, ec-encrypted-pkcs8",
    "openssl, rsa-pkcs8",
    "openssl, rsa-pkcs1",
    "openssl, rsa-encrypted-pkcs8",
    "openssl, ec-pkcs8",
    "openssl, ec-sec1",
    "openssl, ec-encrypted-pkcs8"
  })
  void keyFormats(String tls, String format) throws Exception {
    provider = new NettyTransportProvider(tls);
    Identity id = format.startsWith("ec") ? TestCertificates.ecServer(ca) : server;
    char[] password = "s3cret".toCharArray();
    TlsCredentials.Builder b = TlsCredentials.newBuilder();
    switch (format.substring(format.indexOf('-') + 1)) {
      case "pkcs8" -> b.keyPair(id.chainPem(), id.pkcs8Pem());
      case "pkcs1", "sec1" -> b.keyPair(id.chainPem(), id.pkcs1Pem());
      case "encrypted-pkcs8" -> b.keyPair(id.chainPem(), id.encryptedPkcs8Pem(password), password);
      default -> throw new AssertionError(format);
    }
    TestServer s = server(b.build());
    Connection c = ready(connect(trustingCa(), s, "localhost"));
    echo(c);
    List<Certificate> peer = c.transport().attributes().get(TransportAttributes.PEER_CERTIFICATES);
    assertEquals(id.cert(), peer.get(0));
  }

  @Test
  void unknownOrUnavailableProviderSettingIsRefusedWithTheReason() {
    provider = new NettyTransportProvider("boringest");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> provider.newClientTransportFactory(trustingCa()));
    assertTrue(e.getMessage().contains("auto, jdk, openssl"), e.getMessage());
    assertEquals(null, TlsProviderChoice.openSslProblem(), "netty-tcnative is a test dependency");
    assertEquals(
        io.netty.handler.ssl.SslProvider.OPENSSL, TlsProviderChoice.choose("auto").provider());
    assertEquals(io.netty.handler.ssl.SslProvider.JDK, TlsProviderChoice.choose("JDK").provider());
  }

  @Test
  void hostOfAuthority() {
    assertEquals("foo", NettyClientTransport.host("foo:443"));
    assertEquals("foo", NettyClientTransport.host("foo"));
    assertEquals("::1", NettyClientTransport.host("[::1]:443"));
    assertEquals("foo", NettyClientTransport.host("user@foo:1"));
  }

  private static TlsCredentials trustingCa() {
    return TlsCredentials.newBuilder().rootCertificates(ca.pem()).build();
  }

  private static TlsCredentials serverCreds(Identity id, boolean pkcs1, ClientAuth auth) {
    return TlsCredentials.newBuilder()
        .keyPair(id.chainPem(), pkcs1 ? id.pkcs1Pem() : id.pkcs8Pem())
        .rootCertificates(ca.pem())
        .clientAuth(auth)
        .build();
  }

  private TestServer server(TransportCredentials credentials) throws Exception {
    TestServer s = TestServer.start(provider, credentials, 1 << 20, Duration.ofSeconds(10));
    servers.add(s);
    return s;
  }

  private Connection connect(TransportCredentials credentials, TestServer s, String authority) {
    ClientTransportFactory f = provider.newClientTransportFactory(credentials);
    factories.add(f);
    ClientTransport t =
        f.newClientTransport(s.address(), TestClient.options(authority, Duration.ofSeconds(5)));
    RecordingTransportListener l = new RecordingTransportListener();
    t.start(l);
    Connection c = new Connection(t, l);
    connections.add(c);
    return c;
  }

  private static Connection ready(Connection c) throws Exception {
    c.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return c;
  }

  private static void echo(Connection c) throws Exception {
    byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
    TestClient.Call call = c.call("test/Echo").unary(ping, 2);
    assertArrayEquals(ping, call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
  }

  private static Status failure(Connection c) throws Exception {
    Status status = c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertTrue(!c.listener().ready.isDone(), "became ready: " + c.listener().events);
    assertCode(Status.UNAVAILABLE, status);
    return status;
  }

  private static void assertFailure(Connection c, String expected) throws Exception {
    Status status = failure(c);
    assertTrue(
        status.getDescription().contains(expected),
        "expected '" + expected + "' in: " + status.getDescription());
  }
}
