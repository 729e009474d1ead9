package dev.switchboard.benchmarks;

import dev.switchboard.api.TlsCredentials;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gRPC project's public test certificates, the ones grpc-java's {@code AsyncServer --tls} and
 * {@code AsyncClient --tls --testca} use: {@code server1.pem} and {@code server1.key} (the server;
 * its names are {@code *.test.google.fr}) and {@code ca.pem} (the CA that signed it). The build
 * unpacks them from {@code io.grpc:grpc-testing} into {@code target/test-certs/certs}, next to the
 * benchmarks jar and {@code target/classes}; nothing is committed. {@code
 * -Dswitchboard.benchmarks.certs=DIR} points elsewhere.
 */
final class TestCerts {
  /** The host name the test server certificate is issued for: grpc-java's authority override. */
  static final String SERVER_HOST_OVERRIDE = "foo.test.google.fr";

  private TestCerts() {}

  static Path dir() {
    String configured = System.getProperty("switchboard.benchmarks.certs");
    if (configured != null) {
      return Path.of(configured);
    }
    try {
      Path code =
          Path.of(TestCerts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().resolve("test-certs").resolve("certs");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String name) throws IOException {
    Path file = dir().resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file
              + " is missing: build the benchmarks module (it unpacks grpc-java's test"
              + " certificates) or set -Dswitchboard.benchmarks.certs=DIR");
    }
    return Files.readAllBytes(file);
  }

  /** {@return the server's TLS: server1's certificate chain and key} */
  static TlsCredentials server() throws IOException {
    return TlsCredentials.newBuilder().keyPair(read("server1.pem"), read("server1.key")).build();
  }

  /** {@return a client's TLS: the test CA as the only root, or else the platform's trust store} */
  static TlsCredentials client(boolean testCa) throws IOException {
    TlsCredentials.Builder b = TlsCredentials.newBuilder();
    if (testCa) {
      b.rootCertificates(read("ca.pem"));
    }
    return b.build();
  }
}
