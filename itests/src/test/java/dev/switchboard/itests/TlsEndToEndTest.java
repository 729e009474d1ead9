package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.CompositeCredentials;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TLS server and TLS channels end to end over 127.0.0.1: calls work, the server's calls see the
 * peer's TLS session and certificate, and each misconfigured channel gets an UNAVAILABLE status
 * saying what went wrong while a good channel keeps being served.
 */
class TlsEndToEndTest {
  private static Ca ca;
  private static Ca otherCa;
  private static Identity serverId;
  private static Identity clientId;

  private final EchoService service = new EchoService("tls");
  private final BlockingQueue<Attributes> seen = new LinkedBlockingQueue<>();
  private final BlockingQueue<Metadata> seenHeaders = new LinkedBlockingQueue<>();
  private Server server;
  private ClientConn good;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.ca("itest CA");
    otherCa = TestCertificates.ca("other CA");
    serverId = TestCertificates.server(ca);
    clientId = TestCertificates.client(ca, "itest client");
  }

  @BeforeEach
  void setUp() throws Exception {
    ServerInterceptor recordPeer =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCallListener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            seen.add(call.getAttributes());
            seenHeaders.add(headers);
            return next.startCall(call, headers);
          }
        };
    server =
        Loopback.start(
            service,
            ServerOptions.newBuilder()
                .credentials(
                    TlsCredentials.newBuilder()
                        .keyPair(serverId.chainPem(), serverId.pkcs8Pem())
                        .rootCertificates(ca.pem())
                        .clientAuth(TlsCredentials.ClientAuth.OPTIONAL)
                        .build())
                .intercept(recordPeer));
    good =
        ClientConns.newClient(
            Loopback.target(server),
            DialOptions.newBuilder()
                .credentials(
                    TlsCredentials.newBuilder()
                        .rootCertificates(ca.pem())
                        .keyPair(clientId.chainPem(), clientId.pkcs1Pem())
                        .build())
                .build());
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      assertServes();
    } finally {
      good.close();
      server.shutdownNow();
    }
  }

  @Test
  void callsWorkAndTheServerSeesThePeersCertificate() throws Exception {
    assertServes();
    Attributes attrs = seen.poll(10, TimeUnit.SECONDS);
    assertNotNull(attrs.get(TransportAttributes.REMOTE_ADDRESS));
    assertEquals("h2", attrs.get(TransportAttributes.APPLICATION_PROTOCOL));
    assertTrue(attrs.get(TransportAttributes.SSL_SESSION).getCipherSuite().startsWith("TLS_"));
    X509Certificate peer =
        (X509Certificate) attrs.get(TransportAttributes.PEER_CERTIFICATES).get(0);
    assertEquals("CN=itest client", peer.getSubjectX500Principal().getName());
  }

  @Test
  void untrustedServerCertificate() throws Exception {
    assertRefused(
        DialOptions.newBuilder()
            .credentials(TlsCredentials.newBuilder().rootCertificates(otherCa.pem()).build()),
        "PKIX path");
  }

  @Test
  void hostnameMismatch() throws Exception {
    assertRefused(
        DialOptions.newBuilder()
            .credentials(TlsCredentials.newBuilder().rootCertificates(ca.pem()).build())
            .authority("elsewhere.test.example"),
        "elsewhere.test.example");
  }

  @Test
  void authorityOverrideMatchingTheCertificateWorks() throws Exception {
    try (ClientConn conn =
        ClientConns.newClient(
            Loopback.target(server),
            DialOptions.newBuilder()
                .credentials(TlsCredentials.newBuilder().rootCertificates(ca.pem()).build())
                .authority("foo.test.example")
                .build())) {
      assertEquals("hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
    }
  }

  @Test
  void plaintextChannelToTlsServer() throws Exception {
    assertRefused(
        DialOptions.newBuilder().credentials(TransportCredentials.insecure()),
        "does the server expect TLS?");
  }

  @Test
  void callCredentialsReachTheServerOverTls() throws Exception {
    CallCredentials token = credentials(info -> CompletableFuture.completedFuture(bearer(info)));
    try (ClientConn conn = tlsWith(token)) {
      assertEquals("hi", Loopback.unary(conn, EchoService.UNARY, str("hi"), deadline()).getValue());
    }
    Metadata headers = seenHeaders.poll(10, TimeUnit.SECONDS);
    assertEquals(
        "Bearer " + EchoService.UNARY.getFullMethodName() + "@" + Loopback.target(server),
        headers.get("authorization"));
  }

  @Test
  void messagesWaitForCredentialsThatAnswerLater() throws Exception {
    CompletableFuture<Metadata> later = new CompletableFuture<>();
    try (ClientConn conn = tlsWith(credentials(info -> later))) {
      // sends its request and half-closes before the credentials answer
      RecordingListener<StringValue> l =
          Loopback.call(conn, EchoService.UNARY, deadline(), new Metadata(), str("held"));
      assertTrue(seenHeaders.isEmpty(), "nothing may reach the server before the credentials");
      later.complete(new Metadata().put("authorization", "Bearer late"));
      assertEquals(Status.Code.OK, l.awaitClose().getCode());
      assertEquals("held", l.messages.get(0).getValue());
    }
    assertEquals("Bearer late", seenHeaders.poll(10, TimeUnit.SECONDS).get("authorization"));
  }

  @Test
  void failingCredentialsFailTheCallWithTheirStatusOrUnavailable() throws Exception {
    CallCredentials unauthenticated =
        credentials(
            info ->
                CompletableFuture.failedFuture(
                    new StatusException(Status.UNAUTHENTICATED.withDescription("no token"))));
    try (ClientConn conn = tlsWith(unauthenticated)) {
      Status s =
          Loopback.call(conn, EchoService.UNARY, deadline(), new Metadata(), str("x")).awaitClose();
      assertEquals(Status.Code.UNAUTHENTICATED, s.getCode(), s.toString());
      assertEquals("no token", s.getDescription());
    }
    CallCredentials broken =
        credentials(
            info -> CompletableFuture.failedFuture(new IllegalStateException("vault down")));
    try (ClientConn conn = tlsWith(broken)) {
      Status s =
          Loopback.call(conn, EchoService.UNARY, deadline(), new Metadata(), str("x")).awaitClose();
      assertEquals(Status.Code.UNAVAILABLE, s.getCode(), s.toString());
      assertTrue(s.getDescription().contains("vault down"), s.toString());
    }
    assertTrue(seenHeaders.isEmpty(), "no failed call may reach the server");
  }

  @Test
  void theDeadlineRunsWhileCredentialsAreAwaited() throws Exception {
    try (ClientConn conn = tlsWith(credentials(info -> new CompletableFuture<>()))) {
      Status s =
          Loopback.call(
                  conn,
                  EchoService.UNARY,
                  CallOptions.DEFAULT.withDeadlineAfter(200, TimeUnit.MILLISECONDS),
                  new Metadata(),
                  str("x"))
              .awaitClose();
      assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode(), s.toString());
      assertTrue(s.getDescription().contains("call credentials"), s.toString());
    }
  }

  @Test
  void callCredentialsNeedSecureTransportAndAServerRefusesThem() {
    CallCredentials token = credentials(info -> CompletableFuture.completedFuture(new Metadata()));
    IllegalArgumentException plaintext =
        assertThrows(
            IllegalArgumentException.class,
            () -> CompositeCredentials.of(TransportCredentials.insecure(), token));
    assertTrue(plaintext.getMessage().contains("plaintext"), plaintext.getMessage());
    CompositeCredentials composite =
        CompositeCredentials.of(
            TlsCredentials.newBuilder().keyPair(serverId.chainPem(), serverId.pkcs8Pem()).build(),
            token);
    Server s =
        Servers.newServer(
            ServerOptions.newBuilder()
                .credentials(composite)
                .listen("127.0.0.1", 0)
                .addService(service.definition())
                .build());
    RuntimeException e = assertThrows(RuntimeException.class, s::start);
    assertTrue(e.toString().contains("CompositeCredentials"), e.toString());
    s.shutdownNow();
  }

  private static Metadata bearer(CallCredentials.RequestInfo info) {
    return new Metadata()
        .put("authorization", "Bearer " + info.fullMethodName() + "@" + info.authority());
  }

  private static CallCredentials credentials(
      Function<CallCredentials.RequestInfo, CompletionStage<Metadata>> f) {
    return new CallCredentials() {
      @Override
      public CompletionStage<Metadata> requestMetadata(RequestInfo info) {
        return f.apply(info);
      }
    };
  }

  private ClientConn tlsWith(CallCredentials call) {
    return ClientConns.newClient(
        Loopback.target(server),
        DialOptions.newBuilder()
            .credentials(
                CompositeCredentials.of(
                    TlsCredentials.newBuilder().rootCertificates(ca.pem()).build(), call))
            .build());
  }

  private void assertRefused(DialOptions.Builder options, String expected) throws Exception {
    try (ClientConn bad = ClientConns.newClient(Loopback.target(server), options.build())) {
      RecordingListener<?> l =
          Loopback.call(bad, EchoService.UNARY, deadline(), new Metadata(), str("x"));
      Status status = l.awaitClose();
      assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
      assertTrue(
          status.getDescription() != null && status.getDescription().contains(expected),
          "expected '" + expected + "' in: " + status);
    }
    assertServes();
  }

  private void assertServes() throws Exception {
    assertEquals("ok", Loopback.unary(good, EchoService.UNARY, str("ok"), deadline()).getValue());
  }

  private static CallOptions deadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
