package dev.switchboard.interop;

import dev.switchboard.api.TlsCredentials;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gRPC project's public interop test certificates ({@code ca.pem}, {@code server1.pem}, {@code
 * server1.key}; the server's names {@code *.test.google.fr}), which the build unpacks from
 * grpc-java's test artifact into {@code target/test-certs}, next to the launchers' jars. {@code
 * -Dswitchboard.interop.certs=DIR} points elsewhere.
 */
final class TestCerts {
  private TestCerts() {}

  static Path dir() {
    String configured = System.getProperty("switchboard.interop.certs");
    if (configured != null) {
      return Path.of(configured);
    }
    try {
      Path code =
          Path.of(TestCerts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().resolve("certs").toFile().isDirectory()
          ? code.getParent().resolve("certs")
          : code.getParent().resolve("test-certs").resolve("certs");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(String name) throws IOException {
    Path file = dir().resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file
              + " is missing: build the interop module (it unpacks grpc-java's test certificates)"
              + " or set -Dswitchboard.interop.certs");
    }
    return Files.readAllBytes(file);
  }

  /** The server's TLS: server1's chain and key. */
  static TlsCredentials server() throws IOException {
    return TlsCredentials.newBuilder().keyPair(read("server1.pem"), read("server1.key")).build();
  }

  /** A client's TLS: the test CA as the only root, or the platform's trust store. */
  static TlsCredentials client(boolean useTestCa) throws IOException {
    TlsCredentials.Builder b = TlsCredentials.newBuilder();
    if (useTestCa) {
      b.rootCertificates(read("ca.pem"));
    }
    return b.build();
  }
}
