package dev.switchboard.examples.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.CompositeCredentials;
import dev.switchboard.api.Context;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.HelloReply;
import dev.switchboard.examples.helloworld.HelloRequest;
import dev.switchboard.server.Servers;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthInterceptor} and {@link BearerTokenCredentials} over real mutual-TLS connections on
 * 127.0.0.1: a client with an allowed certificate and the right token is served and its handler
 * sees the principal (and still the call's deadline) in the context; a missing or wrong token, a
 * certificate naming no allowed client, or no certificate at all is refused before the handler
 * runs, each with its status.
 */
class AuthInterceptorTest {
  private static final String TOKEN = "s3cret-token";
  private static final String SERVER_NAME = "foo.test.example";

  private static Ca ca;
  private static Identity billing;
  private static Identity mallory;
  private static Identity withAlternativeNames;
  private static Server server;

  /** What the handler saw: the principal of each call it ran, per request message too. */
  private static final BlockingQueue<Object> handled = new LinkedBlockingQueue<>();

  private final List<ClientConn> channels = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    ca = TestCertificates.ca("auth test CA");
    billing = TestCertificates.client(ca, "billing");
    mallory = TestCertificates.client(ca, "mallory");
    // Carries the DNS names localhost and foo.test.example: a client named by its SAN.
    withAlternativeNames = TestCertificates.server(ca);
    Identity serverId = TestCertificates.server(ca);
    server =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .credentials(
                        TlsCredentials.newBuilder()
                            .keyPair(serverId.chainPem(), serverId.pkcs8Pem())
                            .rootCertificates(ca.pem())
                            // OPTIONAL: the interceptor, not the handshake, refuses a client
                            // without a certificate.
                            .clientAuth(TlsCredentials.ClientAuth.OPTIONAL)
                            .build())
                    .intercept(
                        new AuthInterceptor(
                            token -> token.equals(TOKEN) ? "ada" : null,
                            Set.of("CN=billing", "foo.test.example")))
                    .listen("127.0.0.1", 0)
                    .addService(new RecordingGreeter().bindService())
                    .build())
            .start();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  @AfterEach
  void closeChannels() throws InterruptedException {
    for (ClientConn c : channels) {
      c.close();
    }
    for (ClientConn c : channels) {
      assertTrue(c.awaitTermination(10, TimeUnit.SECONDS));
    }
    List<Object> unexpected = new ArrayList<>();
    handled.drainTo(unexpected); // drained: one test's failure does not fail the next
    assertEquals(List.of(), unexpected, "handler runs no test accounted for");
  }

  @Test
  void allowedClientWithTheRightTokenIsServedAndTheHandlerSeesWho() throws Exception {
    HelloReply reply = sayHello(channel(billing, bearer(TOKEN)));
    assertEquals("Hello, ada via CN=billing!", reply.getMessage());
    Seen seen = (Seen) handled.poll(10, TimeUnit.SECONDS);
    assertEquals(new Principal("ada", "CN=billing"), seen.principal());
    assertTrue(seen.hasDeadline(), "the call's own context (its deadline) is kept");
  }

  @Test
  void clientNamedByASubjectAlternativeNameIsServed() throws Exception {
    HelloReply reply = sayHello(channel(withAlternativeNames, bearer(TOKEN)));
    assertEquals("Hello, ada via foo.test.example!", reply.getMessage());
    assertEquals(
        new Principal("ada", "foo.test.example"),
        ((Seen) handled.poll(10, TimeUnit.SECONDS)).principal());
  }

  @Test
  void everyRequestMessageOfAStreamSeesThePrincipal() throws Exception {
    CompletableFuture<HelloReply> reply = new CompletableFuture<>();
    StreamObserver<HelloRequest> requests =
        GreeterSwitchboard.newStub(channel(billing, bearer(TOKEN)))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .sayHelloToAll(completingWith(reply));
    requests.onNext(named("one"));
    requests.onNext(named("two"));
    requests.onCompleted();
    assertEquals("ada saw 2", reply.get(10, TimeUnit.SECONDS).getMessage());
    Principal expected = new Principal("ada", "CN=billing");
    for (int i = 0; i < 3; i++) { // two messages and the half-close
      assertEquals(expected, ((Seen) handled.poll(10, TimeUnit.SECONDS)).principal());
    }
  }

  @Test
  void missingTokenIsUnauthenticated() throws Exception {
    assertRefused(channel(billing, null), Status.Code.UNAUTHENTICATED, "missing bearer token");
  }

  @Test
  void wrongTokenIsUnauthenticated() throws Exception {
    assertRefused(
        channel(billing, bearer("guessed")), Status.Code.UNAUTHENTICATED, "invalid bearer token");
  }

  @Test
  void clientNotAllowedIsPermissionDenied() throws Exception {
    assertRefused(channel(mallory, bearer(TOKEN)), Status.Code.PERMISSION_DENIED, "CN=mallory");
  }

  @Test
  void clientWithoutCertificateIsUnauthenticated() throws Exception {
    assertRefused(
        channel(null, bearer(TOKEN)), Status.Code.UNAUTHENTICATED, "no client certificate");
  }

  @Test
  void noTokenToSendFailsTheCallOnTheClient() throws Exception {
    assertRefused(
        channel(billing, bearer("")), Status.Code.UNAUTHENTICATED, "no bearer token to send");
  }

  private void assertRefused(ClientConn channel, Status.Code code, String because)
      throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> sayHello(channel));
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    assertNotNull(e.getStatus().getDescription());
    assertTrue(e.getStatus().getDescription().contains(because), because + " in " + e.getStatus());
    assertTrue(!e.getStatus().getDescription().contains(TOKEN), "the token is never echoed");
    // The refusal did not break the server: an allowed client is served right after.
    sayHello(channel(billing, bearer(TOKEN)));
    handled.poll(10, TimeUnit.SECONDS);
  }

  /** A channel with the client's certificate (none when null) and call credentials (or none). */
  private ClientConn channel(Identity client, CallCredentials call) {
    TlsCredentials.Builder tls = TlsCredentials.newBuilder().rootCertificates(ca.pem());
    if (client != null) {
      tls.keyPair(client.chainPem(), client.pkcs8Pem());
    }
    TransportCredentials credentials =
        call == null ? tls.build() : CompositeCredentials.of(tls.build(), call);
    ClientConn c =
        ClientConns.newClient(
            "127.0.0.1:" + server.port(),
            DialOptions.newBuilder()
                .credentials(credentials)
                .authority(SERVER_NAME + ":" + server.port())
                .build());
    channels.add(c);
    return c;
  }

  private static CallCredentials bearer(String token) {
    return new BearerTokenCredentials(() -> token);
  }

  private static HelloReply sayHello(ClientConn channel) {
    return GreeterSwitchboard.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(named("world"));
  }

  private static HelloRequest named(String name) {
    return HelloRequest.newBuilder().setName(name).build();
  }

  private static <T> StreamObserver<T> completingWith(CompletableFuture<T> result) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.completeExceptionally(new AssertionError("completed without a reply"));
      }
    };
  }

  /** What a handler callback saw in its context. */
  private record Seen(Principal principal, boolean hasDeadline) {
    static Seen now() {
      return new Seen(Principal.current(), Context.current().deadline() != null);
    }
  }

  /** Greets the principal it finds in the context, and records it for the test. */
  private static final class RecordingGreeter extends GreeterSwitchboard.GreeterImplBase {
    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
      Seen seen = Seen.now();
      handled.add(seen);
      replies.onNext(greeting(seen));
      replies.onCompleted();
    }

    @Override
    public StreamObserver<HelloRequest> sayHelloToAll(StreamObserver<HelloReply> replies) {
      return new StreamObserver<>() {
        private int count;

        @Override
        public void onNext(HelloRequest request) {
          handled.add(Seen.now());
          count++;
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          Seen seen = Seen.now();
          handled.add(seen);
          replies.onNext(
              HelloReply.newBuilder()
                  .setMessage(seen.principal().user() + " saw " + count)
                  .build());
          replies.onCompleted();
        }
      };
    }

    private static HelloReply greeting(Seen seen) {
      Principal p = seen.principal();
      return HelloReply.newBuilder()
          .setMessage("Hello, " + p.user() + " via " + p.client() + "!")
          .build();
    }
  }
}
