package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.CompositeCredentials;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.SecurityLevel;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Call credentials given per call ({@link CallOptions#withCallCredentials}) over 127.0.0.1: applied
 * after the pick, with the connection's security level and attributes visible; joined with the
 * channel's own; never sent over plaintext unless they say they may be; a server-only status code
 * from them becomes INTERNAL.
 */
class CallCredentialsEndToEndTest {
  private static Ca ca;
  private static Identity serverId;

  private final EchoService service = new EchoService("creds");
  private final BlockingQueue<Metadata> seenHeaders = new LinkedBlockingQueue<>();
  private Server tlsServer;
  private Server plainServer;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.ca("credentials CA");
    serverId = TestCertificates.server(ca);
  }

  @BeforeEach
  void setUp() throws Exception {
    ServerInterceptor record =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCallListener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            seenHeaders.add(headers);
            return next.startCall(call, headers);
          }
        };
    tlsServer =
        Loopback.start(
            service,
            ServerOptions.newBuilder()
                .credentials(
                    TlsCredentials.newBuilder()
                        .keyPair(serverId.chainPem(), serverId.pkcs8Pem())
                        .build())
                .intercept(record));
    plainServer = Loopback.start(service, ServerOptions.newBuilder().insecure().intercept(record));
  }

  @AfterEach
  void tearDown() {
    tlsServer.shutdownNow();
    plainServer.shutdownNow();
  }

  @Test
  void perCallCredentialsSeeTheConnectionAndJoinTheChannels() throws Exception {
    BlockingQueue<CallCredentials.RequestInfo> infos = new LinkedBlockingQueue<>();
    CallCredentials perCall =
        credentials(
            info -> {
              infos.add(info);
              return CompletableFuture.completedFuture(new Metadata().put("x-call-token", "c1"));
            });
    CallCredentials channelToken =
        credentials(
            info ->
                CompletableFuture.completedFuture(
                    new Metadata().put("authorization", "Bearer channel")));
    try (ClientConn conn =
        ClientConns.newClient(
            Loopback.target(tlsServer),
            DialOptions.newBuilder()
                .credentials(
                    CompositeCredentials.of(
                        TlsCredentials.newBuilder().rootCertificates(ca.pem()).build(),
                        channelToken))
                .build())) {
      assertEquals(
          "hi",
          Loopback.unary(
                  conn, EchoService.UNARY, str("hi"), deadline().withCallCredentials(perCall))
              .getValue());
    }
    Metadata headers = seenHeaders.poll(10, TimeUnit.SECONDS);
    assertEquals("Bearer channel", headers.get("authorization"));
    assertEquals("c1", headers.get("x-call-token"));
    CallCredentials.RequestInfo info = infos.poll(10, TimeUnit.SECONDS);
    assertEquals(SecurityLevel.PRIVACY_AND_INTEGRITY, info.securityLevel());
    assertEquals(Loopback.target(tlsServer), info.authority());
    assertEquals(EchoService.UNARY.getFullMethodName(), info.fullMethodName());
    X509Certificate peer =
        (X509Certificate)
            info.transportAttributes().get(TransportAttributes.PEER_CERTIFICATES).get(0);
    assertEquals(serverId.cert(), peer);
  }

  @Test
  void privateCredentialsAreRefusedOnPlaintextAndNeverAsked() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    CallCredentials token =
        credentials(
            info -> {
              asked.incrementAndGet();
              return CompletableFuture.completedFuture(
                  new Metadata().put("authorization", "Bearer secret"));
            });
    try (ClientConn conn =
        ClientConns.newClient(Loopback.target(plainServer), Loopback.insecure().build())) {
      Status s =
          Loopback.call(
                  conn,
                  EchoService.UNARY,
                  deadline().withCallCredentials(token),
                  new Metadata(),
                  str("x"))
              .awaitClose();
      assertEquals(Status.Code.UNAUTHENTICATED, s.getCode(), s.toString());
      assertTrue(s.getDescription().contains("PRIVACY_AND_INTEGRITY"), s.toString());
      assertTrue(s.getDescription().contains("NONE"), s.toString());
      // the channel still serves calls without credentials
      assertEquals("ok", Loopback.unary(conn, EchoService.UNARY, str("ok"), deadline()).getValue());
    }
    assertEquals(0, asked.get(), "credentials refused by the security level are not even asked");
    Metadata only = seenHeaders.poll(10, TimeUnit.SECONDS);
    assertEquals(null, only.get("authorization"));
    assertTrue(seenHeaders.isEmpty(), "the refused call never reached the server");
  }

  @Test
  void credentialsThatNeedNoPrivacyTravelInPlaintext() throws Exception {
    BlockingQueue<SecurityLevel> levels = new LinkedBlockingQueue<>();
    CallCredentials tag =
        new CallCredentials() {
          @Override
          public CompletionStage<Metadata> requestMetadata(RequestInfo info) {
            levels.add(info.securityLevel());
            return CompletableFuture.completedFuture(new Metadata().put("x-tenant", "t1"));
          }

          @Override
          public SecurityLevel minimumSecurityLevel() {
            return SecurityLevel.NONE;
          }
        };
    try (ClientConn conn =
        ClientConns.newClient(Loopback.target(plainServer), Loopback.insecure().build())) {
      Loopback.unary(conn, EchoService.UNARY, str("x"), deadline().withCallCredentials(tag));
    }
    assertEquals(SecurityLevel.NONE, levels.poll(10, TimeUnit.SECONDS));
    assertEquals("t1", seenHeaders.poll(10, TimeUnit.SECONDS).get("x-tenant"));
  }

  @Test
  void aServerOnlyCodeFromCredentialsBecomesInternal() throws Exception {
    CallCredentials notFound =
        credentials(
            info ->
                CompletableFuture.failedFuture(
                    new StatusException(Status.NOT_FOUND.withDescription("no such key"))));
    try (ClientConn conn =
        ClientConns.newClient(
            Loopback.target(tlsServer),
            DialOptions.newBuilder()
                .credentials(TlsCredentials.newBuilder().rootCertificates(ca.pem()).build())
                .build())) {
      Status s =
          Loopback.call(
                  conn,
                  EchoService.UNARY,
                  deadline().withCallCredentials(notFound),
                  new Metadata(),
                  str("x"))
              .awaitClose();
      assertEquals(Status.Code.INTERNAL, s.getCode(), s.toString());
      assertTrue(s.getDescription().contains("NOT_FOUND"), s.toString());
      assertTrue(s.getDescription().contains("no such key"), s.toString());
    }
    assertTrue(seenHeaders.isEmpty(), "the failed call never reached the server");
  }

  private static CallOptions deadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static CallCredentials credentials(
      java.util.function.Function<CallCredentials.RequestInfo, CompletionStage<Metadata>> f) {
    return new CallCredentials() {
      @Override
      public CompletionStage<Metadata> requestMetadata(RequestInfo info) {
        return f.apply(info);
      }
    };
  }
}
