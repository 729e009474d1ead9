package dev.switchboard.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every subcommand shares: how to connect, what to send with calls, descriptors. */
final class ConnectionOptions {
  @Option(names = "--plaintext", description = "Use plaintext HTTP/2 (h2c) instead of TLS.")
  boolean plaintext;

  @Option(
      names = "--insecure",
      description = "TLS without checking the server's certificate or host name.")
  boolean insecure;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = "PEM file of the CA certificates to trust (default: the JDK's).")
  Path cacert;

  @Option(
      names = "--cert",
      paramLabel = "FILE",
      description = "PEM certificate chain of the client, for mutual TLS (with --key).")
  Path cert;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "PEM (PKCS#8) private key of the client, for mutual TLS (with --cert).")
  Path key;

  @Option(
      names = "--authority",
      paramLabel = "HOST[:PORT]",
      description = "The :authority of calls (and the TLS server name), instead of the target's.")
  String authority;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'NAME: VALUE'",
      description =
          "Metadata sent with every call, reflection's included; repeatable. Values of -bin keys"
              + " are base64.")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.class,
      description = "How long to wait for the connection (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--max-msg-sz",
      paramLabel = "BYTES",
      defaultValue = "4194304",
      description = "Largest response message accepted (default: ${DEFAULT-VALUE}).")
  int maxMessageSize;

  @Option(
      names = "--protoset",
      paramLabel = "FILE",
      description =
          "Descriptors from this FileDescriptorSet (protoc --descriptor_set_out"
              + " --include_imports) instead of server reflection; repeatable.")
  List<Path> protosets = new ArrayList<>();

  @Option(
      names = "--proto",
      paramLabel = "FILE",
      description =
          "Descriptors from this .proto file, compiled by protoc (from $PROTOC, else the PATH),"
              + " instead of server reflection; repeatable.")
  List<Path> protoFiles = new ArrayList<>();

  @Option(
      names = {"-I", "--import-path"},
      paramLabel = "DIR",
      description = "Where --proto files and their imports are found; repeatable.")
  List<Path> importPaths = new ArrayList<>();
}
