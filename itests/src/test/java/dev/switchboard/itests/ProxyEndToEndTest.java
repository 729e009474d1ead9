package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.clientconn.internal.ChannelEnvironment;
import dev.switchboard.clientconn.internal.ChannelFactory;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestHttpProxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Channels through an HTTP CONNECT proxy ({@link TestHttpProxy}) over 127.0.0.1: the CONNECT names
 * the target's host and port unresolved (a host only the proxy knows works), Basic credentials,
 * refusals (407, 403, proxy down) as UNAVAILABLE naming the proxy and its answer, TLS through the
 * tunnel, and the choice between the dial options and the environment ({@code grpc_proxy}, {@code
 * no_proxy}; read through the channel factory's environment seam, not the real one).
 */
class ProxyEndToEndTest {
  /** A host name nobody resolves: only the proxy (and the test's own resolver) know it. */
  private static final String HIDDEN = "backend.invalid";

  private final EchoService service = new EchoService("proxy");
  private Server server;
  private TestHttpProxy proxy;

  @BeforeEach
  void setUp() throws Exception {
    server = Loopback.start(service);
    proxy = TestHttpProxy.start().mapHost(HIDDEN, "127.0.0.1");
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    server.shutdownNow();
  }

  @Test
  void callGoesThroughTheProxyWhichGetsTheUnresolvedTarget() throws Exception {
    String target = "localhost:" + server.port();
    try (ClientConn conn = ClientConns.newClient(target, viaProxy(proxyAt()).build())) {
      assertEquals("hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
      String wiring = conn.describeWiring().toString();
      assertTrue(wiring.contains("HTTP CONNECT proxy http://" + proxy.hostPort()), wiring);
    }
    assertEquals(List.of(target), proxy.connectTargets());
  }

  @Test
  void aHostOnlyTheProxyCanResolveWorks() throws Exception {
    String target = HIDDEN + ":" + server.port();
    try (ClientConn conn = ClientConns.newClient(target, viaProxy(proxyAt()).build())) {
      assertEquals("hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
    }
    assertEquals(List.of(target), proxy.connectTargets());
  }

  @Test
  void basicCredentialsAreSent() throws Exception {
    proxy.requireCredentials("alice", "s3cr:et");
    HttpConnectProxy withCredentials =
        HttpConnectProxy.parse("http://alice:s3cr%3Aet@" + proxy.hostPort());
    try (ClientConn conn =
        ClientConns.newClient("localhost:" + server.port(), viaProxy(withCredentials).build())) {
      assertEquals("hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
      assertFalse(conn.describeWiring().toString().contains("s3cr"), "no password in the wiring");
    }
  }

  @Test
  void wrongCredentialsFailWith407NamingTheProxyButNotThePassword() throws Exception {
    proxy.requireCredentials("alice", "s3cret");
    Status s = failedCall(proxyAt().withCredentials("alice", "wrong-password"));
    assertDescribes(
        s,
        "HTTP CONNECT proxy "
            + proxy.hostPort()
            + " refused CONNECT localhost:"
            + server.port()
            + ": 407 Proxy Authentication Required (the proxy did not accept user 'alice')");
    assertFalse(s.toString().contains("wrong-password"), s.toString());
  }

  @Test
  void missingCredentialsFailWith407AndAHint() throws Exception {
    proxy.requireCredentials("alice", "s3cret");
    assertDescribes(failedCall(proxyAt()), "407 Proxy Authentication Required (the proxy wants");
  }

  @Test
  void aRefusingProxyFailsCallsWithItsStatus() throws Exception {
    proxy.refuseWith("403 Forbidden");
    assertDescribes(
        failedCall(proxyAt()),
        "HTTP CONNECT proxy " + proxy.hostPort() + " refused CONNECT localhost:");
    assertDescribes(failedCall(proxyAt()), ": 403 Forbidden");
  }

  @Test
  void aProxyThatIsDownFailsCallsNamingIt() throws Exception {
    int down = Loopback.freePort();
    assertDescribes(
        failedCall(HttpConnectProxy.of("127.0.0.1", down)),
        "HTTP CONNECT proxy 127.0.0.1:" + down + " unreachable");
  }

  @Test
  void tlsGoesThroughTheTunnelWithTheTargetsName() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca("proxy CA");
    TestCertificates.Identity id = TestCertificates.server(ca);
    Server tls =
        Loopback.start(
            service,
            ServerOptions.newBuilder()
                .credentials(
                    TlsCredentials.newBuilder().keyPair(id.chainPem(), id.pkcs8Pem()).build()));
    proxy.mapHost("foo.test.example", "127.0.0.1");
    String target = "foo.test.example:" + tls.port();
    try (ClientConn conn =
        ClientConns.newClient(
            target,
            DialOptions.newBuilder()
                .credentials(TlsCredentials.newBuilder().rootCertificates(ca.pem()).build())
                .proxy(proxyAt())
                .build())) {
      assertEquals("hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
    } finally {
      tls.shutdownNow();
    }
    assertEquals(List.of(target), proxy.connectTargets());
  }

  @Test
  void theEnvironmentsProxyIsUsed() throws Exception {
    try (ClientConn conn =
        withEnvironment(Map.of("grpc_proxy", "http://" + proxy.hostPort()), hiddenDns())) {
      assertEquals("hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
      assertTrue(conn.describeWiring().toString().contains("from grpc_proxy"));
    }
    assertEquals(List.of(HIDDEN + ":" + server.port()), proxy.connectTargets());
  }

  @Test
  void noProxyListsBypassTheProxy() throws Exception {
    Map<String, String> env =
        Map.of("https_proxy", proxy.hostPort(), "NO_PROXY", "other.example, .invalid");
    try (ClientConn conn = withEnvironment(env, hiddenDns())) {
      assertEquals("hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
    }
    assertEquals(List.of(), proxy.connectTargets(), "no CONNECT");
  }

  @Test
  void theDialOptionsWinOverTheEnvironment() throws Exception {
    try (TestHttpProxy refusing = TestHttpProxy.start().refuseWith("403 Forbidden")) {
      Map<String, String> env = Map.of("grpc_proxy", "http://" + refusing.hostPort());
      try (ClientConn conn = withEnvironment(env, hiddenDns().proxy(proxyAt()))) {
        assertEquals(
            "hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
      }
      try (ClientConn conn = withEnvironment(env, hiddenDns().noProxy())) {
        assertEquals(
            "hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
      }
      assertEquals(List.of(), refusing.connectTargets());
    }
    assertEquals(List.of(HIDDEN + ":" + server.port()), proxy.connectTargets());
  }

  @Test
  void aMalformedProxyVariableFailsCallsNamingIt() throws Exception {
    try (ClientConn conn =
        withEnvironment(Map.of("https_proxy", "socks5://user:pw@proxy:1080"), hiddenDns())) {
      Status s =
          Loopback.call(conn, EchoService.UNARY, deadline(), new Metadata(), str("x")).awaitClose();
      assertDescribes(s, "environment variable https_proxy is not a usable proxy");
      assertDescribes(s, "scheme 'socks5' is not supported");
      assertFalse(s.toString().contains("pw@"), s.toString());
    }
  }

  private HttpConnectProxy proxyAt() {
    return HttpConnectProxy.of("127.0.0.1", proxy.port());
  }

  private static DialOptions.Builder viaProxy(HttpConnectProxy p) {
    return Loopback.insecure().proxy(p);
  }

  private Status failedCall(HttpConnectProxy p) throws Exception {
    try (ClientConn conn =
        ClientConns.newClient("localhost:" + server.port(), viaProxy(p).build())) {
      return Loopback.call(conn, EchoService.UNARY, deadline(), new Metadata(), str("x"))
          .awaitClose();
    }
  }

  private static void assertDescribes(Status s, String expected) {
    assertEquals(Status.Code.UNAVAILABLE, s.getCode(), s.toString());
    assertTrue(
        s.getDescription() != null && s.getDescription().contains(expected),
        "expected '" + expected + "' in: " + s);
  }

  /** Dial options whose {@code dns} resolver knows {@link #HIDDEN}, as the server's address. */
  private DialOptions.Builder hiddenDns() {
    ResolverRegistry registry = new ResolverRegistry();
    int port = server.port();
    registry.register(
        new ResolverProvider() {
          @Override
          public String scheme() {
            return "dns";
          }

          @Override
          public Resolver newResolver(Target target, ResolverConn conn) {
            return new Resolver() {
              @Override
              public void start() {
                conn.updateState(ResolverState.of(List.of(Address.of("127.0.0.1", port))));
              }

              @Override
              public void resolveNow() {
                start();
              }

              @Override
              public void close() {}
            };
          }
        });
    return Loopback.insecure().resolverRegistry(registry);
  }

  /** A channel to {@link #HIDDEN} seeing {@code env} as its environment variables. */
  private ClientConn withEnvironment(Map<String, String> env, DialOptions.Builder options) {
    return ChannelFactory.forTarget(
        HIDDEN + ":" + server.port(),
        options.build(),
        ChannelEnvironment.system().withEnvironment(env::get));
  }

  private static CallOptions deadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
