package dev.switchboard.cli;

import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What the subcommands share: the standard streams, the connection options, descriptors. */
abstract class SourceCommand {
  /** How long a reflection answer is waited for when no {@code --deadline} is given. */
  static final Duration REFLECTION_TIMEOUT = Duration.ofSeconds(30);

  @ParentCommand Main main;

  @Mixin ConnectionOptions connection;

  /** Descriptors from files when some were given, else from the server's reflection. */
  DescriptorSource source(Connection conn, Duration deadline) throws CliException {
    if (!connection.protosets.isEmpty()) {
      return FileSetSource.fromProtosets(connection.protosets);
    }
    if (!connection.protoFiles.isEmpty()) {
      return FileSetSource.fromProtoFiles(connection.protoFiles, connection.importPaths);
    }
    return new ReflectionSource(conn.channel(), deadline == null ? REFLECTION_TIMEOUT : deadline);
  }

  static void close(DescriptorSource source) {
    if (source instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing to do
      }
    }
  }

  /** {@code pkg.Svc/Method}, {@code .pkg.Svc.Method}: the symbol with dots, no leading dot. */
  static String symbol(String name) {
    String symbol = name.startsWith(".") ? name.substring(1) : name;
    return symbol.replace('/', '.');
  }
}
