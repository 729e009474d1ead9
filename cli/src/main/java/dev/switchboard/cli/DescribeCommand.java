package dev.switchboard.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code describe HOST:PORT [SYMBOL]}: a symbol in {@code .proto} syntax, or every service. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description =
        "Describes SYMBOL (a service, method, message, enum, field or extension), or every"
            + " service.")
final class DescribeCommand extends SourceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server (a target).")
  String target;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "SYMBOL",
      description = "A full name, such as helloworld.Greeter or helloworld.Greeter/SayHello.")
  String symbol;

  @Override
  public Integer call() throws CliException {
    try (Connection conn = Connection.open(connection, target)) {
      DescriptorSource source = source(conn, null);
      try {
        List<String> symbols =
            symbol == null
                ? source.listServices().stream().sorted().toList()
                : List.of(symbol(symbol));
        for (String name : symbols) {
          main.out.print(DescriptorPrinter.describe(source.findSymbol(name)));
        }
      } finally {
        close(source);
      }
    }
    return Main.EXIT_OK;
  }
}
