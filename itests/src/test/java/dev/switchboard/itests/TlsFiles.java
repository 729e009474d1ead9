package dev.switchboard.itests;

import dev.switchboard.testing.TestCertificates;
import dev.switchboard.testing.TestCertificates.Ca;
import dev.switchboard.testing.TestCertificates.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fresh test certificates as PEM files, for the worlds where BouncyCastle does not run (a child JVM
 * with only the runtime jars, the Felix framework): {@code ca.pem} (trusted by both sides), {@code
 * server.pem} / {@code server.key} (naming {@link #SERVER_NAME}), {@code client.pem} / {@code
 * client.key} (subject {@link #CLIENT_SUBJECT}). Made outside those worlds, in the test JVM.
 */
final class TlsFiles {
  /** A name the server's certificate carries: channels check it through an authority override. */
  static final String SERVER_NAME = "foo.test.example";

  /** The client certificate's subject. */
  static final String CLIENT_SUBJECT = "CN=itest client";

  private TlsFiles() {}

  /** Writes a new CA, server and client identity into {@code dir}; returns {@code dir}. */
  static Path write(Path dir) throws Exception {
    Files.createDirectories(dir);
    Ca ca = TestCertificates.ca("itest CA");
    Identity server = TestCertificates.server(ca);
    Identity client = TestCertificates.client(ca, CLIENT_SUBJECT.substring("CN=".length()));
    Files.write(dir.resolve("ca.pem"), ca.pem());
    Files.write(dir.resolve("server.pem"), server.chainPem());
    Files.write(dir.resolve("server.key"), server.pkcs8Pem());
    Files.write(dir.resolve("client.pem"), client.chainPem());
    Files.write(dir.resolve("client.key"), client.pkcs1Pem());
    return dir;
  }

  /** The bytes of {@code name} in {@code dir}. */
  static byte[] read(Path dir, String name) throws IOException {
    return Files.readAllBytes(dir.resolve(name));
  }
}
