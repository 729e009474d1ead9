package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import dev.switchboard.transport.netty.TestClient.Connection;
import dev.switchboard.transport.netty.TestClient.RecordingTransportListener;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS versions and ALPN against plain JDK TLS peers over 127.0.0.1: the server speaks HTTP/2 to a
 * TLS 1.2 client that asked for {@code h2}, and closes on one that did not; the client refuses a
 * server that chose no protocol; {@code KeyManager}/{@code TrustManager} credentials work. ALPN
 * cases run with both TLS providers, the JDK's and OpenSSL.
 */
class TlsNegotiationTest {
  private static Ca ca;
  private static Identity server;
  private static KeyManagerFactory serverKeys;
  private static TrustManagerFactory trustCa;

  private NettyTransportProvider provider = new NettyTransportProvider("jdk");
  private TestServer testServer;
  private ClientTransportFactory factory;
  private Connection connection;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.ca("negotiation CA");
    server = TestCertificates.server(ca);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        server.keys().getPrivate(),
        new char[0],
        PemKeys.certificates(server.chainPem(), "chain"));
    serverKeys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    serverKeys.init(keys, new char[0]);
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("ca", ca.cert());
    trustCa = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustCa.init(roots);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (connection != null) {
      connection.transport().shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      connection.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    if (testServer != null) {
      testServer.close();
      testServer.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    if (factory != null) {
      factory.close();
    }
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void serverSpeaksHttp2OverTls12ToAClientAskingForH2(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    startServer();
    try (SSLSocket s = jdkClient("TLSv1.2", "h2")) {
      s.startHandshake();
      assertEquals("TLSv1.2", s.getSession().getProtocol());
      assertEquals("h2", s.getApplicationProtocol());
      assertTrue(
          Http2SecurityUtil.CIPHERS.contains(s.getSession().getCipherSuite()),
          s.getSession().getCipherSuite());
      s.getOutputStream()
          .write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      byte[] frameHeader = s.getInputStream().readNBytes(9);
      assertEquals(4, frameHeader[3], "the server's first frame is SETTINGS");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void serverClosesATlsClientThatDidNotAskForH2(String tls) throws Exception {
    provider = new NettyTransportProvider(tls);
    startServer();
    try (SSLSocket s = jdkClient("TLSv1.3", "http/1.1")) {
      s.startHandshake();
      InputStream in = s.getInputStream();
      assertEquals(-1, in.read(), "the server must close the connection");
    }
    assertTrue(testServer.connections.isEmpty(), "no gRPC connection for a refused peer");
    // and it still serves a good client
    factory = provider.newClientTransportFactory(trustManagerCredentials());
    connection = connect(testServer.address());
    connection.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
    TestClient.Call call = connection.call("test/Echo").unary(ping, 2);
    assertArrayEquals(ping, call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "openssl"})
  void clientRefusesAServerThatChoseNoProtocol(String choice) throws Exception {
    provider = new NettyTransportProvider(choice);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(serverKeys.getKeyManagers(), null, null);
    try (SSLServerSocket listener =
        (SSLServerSocket)
            tls.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket peer = (SSLSocket) listener.accept()) {
                  peer.startHandshake(); // no ALPN on this side
                  peer.getInputStream().read(); // until the client closes
                } catch (Exception e) {
                  // the client closing mid-read is expected
                }
              });
      factory = provider.newClientTransportFactory(trustManagerCredentials());
      connection =
          connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
      Status status = connection.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertCode(Status.UNAVAILABLE, status);
      assertTrue(status.getDescription().contains("did not negotiate h2"), status.getDescription());
      served.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void serverClosesAConnectionThatNeverStartsItsTlsHandshake() throws Exception {
    testServer =
        TestServer.start(
            provider,
            TlsCredentials.newBuilder().keyManager(serverKeys.getKeyManagers()[0]).build(),
            1 << 20,
            Duration.ofMillis(200));
    try (Socket silent = new Socket()) {
      silent.connect(testServer.address());
      silent.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      long start = System.nanoTime();
      assertEquals(-1, silent.getInputStream().read(), "closed after the handshake timeout");
      long waited = System.nanoTime() - start;
      // the server's 200 ms, not Netty's default 10 s TLS handshake timeout
      assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "closed after " + waited + " ns");
    }
    assertTrue(testServer.connections.isEmpty());
  }

  private void startServer() throws Exception {
    testServer =
        TestServer.start(
            provider,
            TlsCredentials.newBuilder().keyManager(serverKeys.getKeyManagers()[0]).build(),
            1 << 20,
            Duration.ofSeconds(10));
  }

  private static TlsCredentials trustManagerCredentials() {
    return TlsCredentials.newBuilder().trustManager(trustCa.getTrustManagers()[0]).build();
  }

  private Connection connect(InetSocketAddress address) {
    ClientTransport t =
        factory.newClientTransport(address, TestClient.options("localhost", Duration.ofSeconds(5)));
    RecordingTransportListener l = new RecordingTransportListener();
    t.start(l);
    return new Connection(t, l);
  }

  private SSLSocket jdkClient(String protocol, String alpn) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trustCa.getTrustManagers(), null);
    SSLSocket s =
        (SSLSocket)
            tls.getSocketFactory()
                .createSocket(testServer.address().getAddress(), testServer.address().getPort());
    s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    SSLParameters params = s.getSSLParameters();
    params.setProtocols(new String[] {protocol});
    params.setApplicationProtocols(new String[] {alpn});
    s.setSSLParameters(params);
    return s;
  }
}
