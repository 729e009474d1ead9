package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.clientconn.ClientConns;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * TLS inside Felix: with the bundles as they are deployed (transport-netty wired to Netty's handler
 * bundle and the JDK's TLS through the system bundle), a server with {@code TlsCredentials}
 * requiring client certificates serves a channel that trusts the test CA and checks the server's
 * name through an authority override; the server's call sees the client's certificate, and a
 * channel expecting another name is refused. The PEM files are made before the framework starts
 * ({@link TlsFiles}): BouncyCastle does not run inside it.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class FelixTlsIT {
  private static final String DIR_PROPERTY = "switchboard.itests.tls.dir";

  @Configuration
  public Option[] config() throws Exception {
    Path dir =
        TlsFiles.write(Path.of(System.getProperty("bundles.dir")).resolveSibling("felix-tls"));
    return FelixOptions.switchboard(systemProperty(DIR_PROPERTY).value(dir.toString()));
  }

  @Test
  public void mutualTlsCallWithTheNameChecked() throws Exception {
    Path dir = Path.of(System.getProperty(DIR_PROPERTY));
    byte[] ca = TlsFiles.read(dir, "ca.pem");
    BlockingQueue<Attributes> seen = new LinkedBlockingQueue<>();
    Server server =
        Loopback.start(
            new EchoService("felix-tls"),
            ServerOptions.newBuilder()
                .credentials(
                    TlsCredentials.newBuilder()
                        .keyPair(TlsFiles.read(dir, "server.pem"), TlsFiles.read(dir, "server.key"))
                        .rootCertificates(ca)
                        .clientAuth(TlsCredentials.ClientAuth.REQUIRE)
                        .build())
                .intercept(recordingAttributes(seen)));
    TlsCredentials clientTls =
        TlsCredentials.newBuilder()
            .rootCertificates(ca)
            .keyPair(TlsFiles.read(dir, "client.pem"), TlsFiles.read(dir, "client.key"))
            .build();
    try (ClientConn good = channel(server, clientTls, TlsFiles.SERVER_NAME);
        ClientConn wrongName = channel(server, clientTls, "elsewhere.test.example")) {
      assertEquals("felix-tls", InFramework.callId(good));
      Attributes attrs = seen.poll(10, TimeUnit.SECONDS);
      assertNotNull("the server's call ran", attrs);
      assertEquals("h2", attrs.get(TransportAttributes.APPLICATION_PROTOCOL));
      List<?> peer = attrs.get(TransportAttributes.PEER_CERTIFICATES);
      assertEquals(
          TlsFiles.CLIENT_SUBJECT,
          ((X509Certificate) peer.get(0)).getSubjectX500Principal().getName());

      Status refused =
          Loopback.call(
                  wrongName,
                  EchoService.UNARY,
                  CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                  new Metadata(),
                  str("x"))
              .awaitClose();
      assertEquals(refused.toString(), Status.Code.UNAVAILABLE, refused.getCode());
      assertTrue(
          refused.toString(),
          refused.getDescription() != null
              && refused.getDescription().contains("elsewhere.test.example"));
      assertEquals("felix-tls", InFramework.callId(good));
    } finally {
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private static ClientConn channel(Server server, TlsCredentials tls, String serverName) {
    return ClientConns.newClient(
        Loopback.target(server),
        DialOptions.newBuilder()
            .credentials(tls)
            .authority(serverName + ":" + server.port())
            .build());
  }

  private static ServerInterceptor recordingAttributes(BlockingQueue<Attributes> seen) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCallListener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        seen.add(call.getAttributes());
        return next.startCall(call, headers);
      }
    };
  }
}
