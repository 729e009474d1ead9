package dev.switchboard.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard}: grpcurl's essentials on the Switchboard runtime. Subcommands {@code list},
 * {@code describe}, {@code call} and {@code health}; descriptors come from the server's reflection
 * service unless {@code --protoset} (or {@code --proto}) files are given.
 *
 * <p>Exit codes: {@value #EXIT_OK} success; {@value #EXIT_FAILED} a failure of the tool (unknown
 * symbol or method, bad JSON, unreadable file) or, for {@code health}, a status other than {@code
 * SERVING}; {@value #EXIT_USAGE} a usage error; {@code 64 + code} when an RPC ends with a non-OK
 * status (as grpcurl: 69 NOT_FOUND, 68 DEADLINE_EXCEEDED, 76 UNIMPLEMENTED, 78 UNAVAILABLE, ...).
 */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    version = "switchboard 0.1",
    description = "Lists, describes, calls and health-checks gRPC services.",
    subcommands = {
      ListCommand.class,
      DescribeCommand.class,
      CallCommand.class,
      HealthCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:failure of the tool (unknown symbol, bad JSON, ...); health: not SERVING",
      "2:usage error",
      "64+c:the RPC ended with status code c (69 NOT_FOUND, 78 UNAVAILABLE, ...)"
    })
public final class Main implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  final InputStream in;
  final PrintStream out;
  final PrintStream err;

  @Spec CommandSpec spec;

  private Main(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the tool and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    int code = run(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs the tool in this JVM, with the given standard streams.
   *
   * @param args the command line
   * @param in standard input (request bodies with {@code -d @} and streaming calls)
   * @param out standard output (results)
   * @param err standard error (errors, usage)
   * @return the exit code
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CommandLine commandLine = new CommandLine(new Main(in, out, err));
    commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    commandLine.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof CliException failure) {
            err.println(failure.getMessage());
            return failure.exitCode();
          }
          err.println("ERROR: " + e);
          return EXIT_FAILED;
        });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return EXIT_USAGE;
  }
}
