package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.examples.GreeterService;
import dev.switchboard.reflection.ReflectionService;
import dev.switchboard.server.Servers;
import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI over TLS: {@code --cacert} trusts the server's CA, {@code --insecure} trusts anything.
 */
class CliTlsTest {
  private static Server server;
  private static Path caFile;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Ca ca = TestCertificates.ca("cli test CA");
    Identity identity = TestCertificates.server(ca);
    caFile = Files.write(dir.resolve("ca.pem"), ca.pem());
    server =
        Servers.newServer(
            ServerOptions.newBuilder()
                .credentials(
                    TlsCredentials.newBuilder()
                        .keyPair(identity.chainPem(), identity.pkcs8Pem())
                        .build())
                .listen("127.0.0.1", 0)
                .addService(new GreeterService("tls").bindService())
                .build());
    ReflectionService.addTo(server);
    server.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static final String HELLO = "switchboard.examples.helloworld.Greeter/SayHello";
  private static final String REPLY = "{\"message\":\"Hello, tee!\",\"backend\":\"tls\"}";

  @Test
  void cacertTrustsTheServer() {
    CliFixtures.Result result =
        CliFixtures.run(
            "call",
            "--cacert",
            caFile.toString(),
            "--authority",
            "localhost:" + server.port(),
            "127.0.0.1:" + server.port(),
            HELLO,
            "{\"name\":\"tee\"}");
    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(List.of(REPLY), result.lines());
  }

  @Test
  void insecureTrustsAnyCertificateAndName() {
    CliFixtures.Result result =
        CliFixtures.run(
            "call", "--insecure", "127.0.0.1:" + server.port(), HELLO, "{\"name\":\"tee\"}");
    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(List.of(REPLY), result.lines());
  }

  @Test
  void unknownCaIsRefused() {
    CliFixtures.Result result =
        CliFixtures.run("list", "--connect-timeout", "3s", "localhost:" + server.port());
    assertEquals(64 + 14, result.exitCode(), result.toString());

    CliFixtures.Result plaintext =
        CliFixtures.run("list", "--plaintext", "--insecure", "localhost:" + server.port());
    assertEquals(2, plaintext.exitCode(), plaintext.toString());
  }
}
