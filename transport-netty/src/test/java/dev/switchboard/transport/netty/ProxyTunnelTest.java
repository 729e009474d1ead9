package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.transport.netty.TestClient.RecordingTransportListener;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client transport against a hand-driven proxy on 127.0.0.1 that misbehaves: the CONNECT
 * request it sends, and the bounds on the proxy's answer (its time and its size).
 */
class ProxyTunnelTest {
  private NettyTransportProvider provider;
  private ClientTransportFactory factory;
  private ServerSocket proxySocket;
  private ClientTransport transport;
  private final RecordingTransportListener listener = new RecordingTransportListener();

  @BeforeEach
  void setUp() throws Exception {
    provider = new NettyTransportProvider();
    factory = TestClient.factory(provider);
    proxySocket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (transport != null) {
      transport.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      listener.terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    proxySocket.close();
    factory.close();
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  /** Starts a transport to the unresolvable {@code backend.invalid:8443} through the proxy. */
  private void start(HttpConnectProxy proxy, Duration connectTimeout) {
    ClientTransportOptions options =
        new ClientTransportOptions(
            "backend.invalid:8443",
            "switchboard-test/0.1",
            connectTimeout,
            8192,
            new CompressorRegistry(),
            Attributes.newBuilder().set(TransportAttributes.HTTP_CONNECT_PROXY, proxy).build());
    transport =
        factory.newClientTransport(
            InetSocketAddress.createUnresolved("backend.invalid", 8443), options);
    transport.start(listener);
  }

  private HttpConnectProxy proxy() {
    return HttpConnectProxy.of(new InetSocketAddress("127.0.0.1", proxySocket.getLocalPort()));
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private Status shutdownStatus() throws Exception {
    Status s = listener.shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAVAILABLE, s.getCode(), s.toString());
    return s;
  }

  @Test
  void connectNamesTheUnresolvedTargetAndSendsBasicCredentials() throws Exception {
    start(proxy().withCredentials("alice", "pw"), Duration.ofSeconds(5));
    try (Socket s = proxySocket.accept()) {
      String head = readHead(s.getInputStream());
      assertTrue(head.startsWith("CONNECT backend.invalid:8443 HTTP/1.1\r\n"), head);
      assertTrue(head.contains("\r\nhost: backend.invalid:8443\r\n"), head);
      assertTrue(head.contains("\r\nproxy-authorization: Basic YWxpY2U6cHc=\r\n"), head);
      s.getOutputStream()
          .write(
              "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      Status status = shutdownStatus();
      assertEquals(
          "HTTP CONNECT proxy 127.0.0.1:"
              + proxySocket.getLocalPort()
              + " refused CONNECT backend.invalid:8443: 502 Bad Gateway",
          status.getDescription());
    }
  }

  @Test
  void aProxyThatNeverAnswersTimesOut() throws Exception {
    start(proxy(), Duration.ofMillis(300));
    try (Socket s = proxySocket.accept()) {
      readHead(s.getInputStream()); // and say nothing
      Status status = shutdownStatus();
      assertTrue(
          status.getDescription().contains("did not answer CONNECT backend.invalid:8443"),
          status.toString());
    }
  }

  @Test
  void aProxyClosingWithoutAnAnswerIsNamed() throws Exception {
    start(proxy(), Duration.ofSeconds(5));
    try (Socket s = proxySocket.accept()) {
      readHead(s.getInputStream());
    }
    Status status = shutdownStatus();
    assertTrue(
        status.getDescription().contains("closed the connection before answering CONNECT"),
        status.toString());
  }

  @Test
  void anEndlessAnswerHeadIsCutOff() throws Exception {
    start(proxy(), Duration.ofSeconds(5));
    try (Socket s = proxySocket.accept()) {
      readHead(s.getInputStream());
      OutputStream out = s.getOutputStream();
      out.write("HTTP/1.1 200 Connection established\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] header =
          ("X-Filler: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      try {
        for (int i = 0; i < 1000 && !listener.shutdown.isDone(); i++) {
          out.write(header); // 1 MB at most; the client gives up after 8 KiB
        }
      } catch (java.io.IOException closedByTheClient) {
        // expected once the client has had enough
      }
      Status status = shutdownStatus();
      assertTrue(status.getDescription().contains("failed on CONNECT"), status.toString());
    }
  }
}
