package dev.switchboard.examples;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.CompositeCredentials;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.examples.auth.AuthInterceptor;
import dev.switchboard.examples.auth.BearerTokenCredentials;
import dev.switchboard.examples.auth.Principal;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.HelloReply;
import dev.switchboard.examples.helloworld.HelloRequest;
import dev.switchboard.server.Servers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Greeter over mutual TLS with a bearer token, on 127.0.0.1: the server requires a client
 * certificate from the given CA and runs {@link AuthInterceptor}; its handler greets the {@link
 * Principal} the interceptor found. One channel presents the client certificate and the right token
 * and is greeted; another sends a wrong token and gets UNAUTHENTICATED. The channels check the
 * server's certificate against {@code server-name} (an authority override).
 *
 * <p>Usage: {@code SecureGreeterDemo DIR server-name}, where {@code DIR} holds PEM files: {@code
 * ca.pem} (trusted by both sides), {@code server.pem} and {@code server.key} (chain and key, the
 * certificate naming {@code server-name}), {@code client.pem} and {@code client.key}. Exits 0 when
 * every step behaved as expected, 1 otherwise. Runs on the class path and on the module path;
 * itests' {@code ModulePathIT} runs it both ways with freshly made certificates.
 *
 * @since 0.3
 */
public final class SecureGreeterDemo {
  private static final String HOST = "127.0.0.1";
  private static final String USER = "ada";
  private static final String TOKEN = "demo-token-1";

  private SecureGreeterDemo() {}

  /**
   * Runs the demo; exits 0 on success, 1 on any failure, 2 on a usage error.
   *
   * @param args the PEM directory and the server's name
   * @since 0.3
   */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: SecureGreeterDemo DIR server-name");
      System.exit(2);
    }
    int exitCode = 0;
    try {
      run(Path.of(args[0]), args[1]);
    } catch (Throwable t) {
      exitCode = 1;
      System.out.println("FAILED: " + t);
      t.printStackTrace(System.out);
    }
    System.out.println(exitCode == 0 ? "Demo finished: all steps passed." : "Demo FAILED.");
    System.out.flush();
    System.exit(exitCode);
  }

  private static void run(Path dir, String serverName) throws Exception {
    byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
    byte[] clientChain = Files.readAllBytes(dir.resolve("client.pem"));
    String clientSubject = subjectOf(clientChain);
    Server server =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .credentials(
                        TlsCredentials.newBuilder()
                            .keyPair(
                                Files.readAllBytes(dir.resolve("server.pem")),
                                Files.readAllBytes(dir.resolve("server.key")))
                            .rootCertificates(ca)
                            .clientAuth(TlsCredentials.ClientAuth.REQUIRE)
                            .build())
                    .intercept(
                        new AuthInterceptor(SecureGreeterDemo::verify, Set.of(clientSubject)))
                    .listen(HOST, 0)
                    .addService(new WhoAmIGreeter().bindService())
                    .build())
            .start();
    System.out.println(
        "mTLS Greeter on " + HOST + ":" + server.port() + ", allowing " + clientSubject);
    TlsCredentials clientTls =
        TlsCredentials.newBuilder()
            .rootCertificates(ca)
            .keyPair(clientChain, Files.readAllBytes(dir.resolve("client.key")))
            .build();
    try (ClientConn good = channel(server, serverName, clientTls, TOKEN);
        ClientConn badToken = channel(server, serverName, clientTls, "guessed-token")) {
      String greeting = sayHello(good);
      System.out.println("[right token]  -> \"" + greeting + "\"");
      check(
          greeting.equals("Hello, world! You are " + USER + " calling from " + clientSubject + "."),
          "greeting " + greeting);
      try {
        sayHello(badToken);
        throw new IllegalStateException("unexpected: a wrong token was accepted");
      } catch (StatusRuntimeException e) {
        Status status = e.getStatus();
        System.out.println(
            "[wrong token]  -> " + status.getCode() + ": " + status.getDescription());
        check(e.getStatus().getCode() == Status.Code.UNAUTHENTICATED, "status " + e.getStatus());
      }
    } finally {
      server.shutdownNow();
      check(server.awaitTermination(5, TimeUnit.SECONDS), "server terminated");
    }
  }

  private static ClientConn channel(
      Server server, String serverName, TlsCredentials tls, String token) {
    return ClientConns.newClient(
        HOST + ":" + server.port(),
        DialOptions.newBuilder()
            .credentials(CompositeCredentials.of(tls, new BearerTokenCredentials(() -> token)))
            .authority(serverName + ":" + server.port())
            .build());
  }

  private static String sayHello(ClientConn channel) {
    return GreeterSwitchboard.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sayHello(HelloRequest.newBuilder().setName("world").build())
        .getMessage();
  }

  /** The demo's token store: one token, compared in constant time. */
  private static String verify(String token) {
    return MessageDigest.isEqual(
            TOKEN.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))
        ? USER
        : null;
  }

  /** The subject of the first certificate in a PEM chain. */
  private static String subjectOf(byte[] pemChain) throws Exception {
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pemChain));
    return cert.getSubjectX500Principal().getName();
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("unexpected: " + what);
    }
  }

  /** A Greeter whose handler says who called, from the principal in the call's context. */
  private static final class WhoAmIGreeter extends GreeterSwitchboard.GreeterImplBase {
    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
      Principal p = Principal.current();
      replies.onNext(
          HelloReply.newBuilder()
              .setMessage(
                  "Hello, "
                      + request.getName()
                      + "! You are "
                      + p.user()
                      + " calling from "
                      + p.client()
                      + ".")
              .build());
      replies.onCompleted();
    }
  }
}
