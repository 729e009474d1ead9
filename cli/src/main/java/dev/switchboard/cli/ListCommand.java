package dev.switchboard.cli;

import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code list HOST:PORT [SERVICE]}: the services, or the methods of one. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists the services of the server, or the methods of SERVICE.")
final class ListCommand extends SourceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server (a target).")
  String target;

  @Parameters(index = "1", arity = "0..1", paramLabel = "SERVICE", description = "A service.")
  String service;

  @Override
  public Integer call() throws CliException {
    try (Connection conn = Connection.open(connection, target)) {
      DescriptorSource source = source(conn, null);
      try {
        if (service == null) {
          List<String> names = source.listServices().stream().sorted().toList();
          names.forEach(main.out::println);
        } else {
          GenericDescriptor symbol = source.findSymbol(symbol(service));
          if (!(symbol instanceof ServiceDescriptor found)) {
            throw CliException.failed(service + " is not a service");
          }
          for (MethodDescriptor method : found.getMethods()) {
            main.out.println(method.getFullName());
          }
        }
      } finally {
        close(source);
      }
    }
    return Main.EXIT_OK;
  }
}
