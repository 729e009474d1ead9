package dev.switchboard.cli;

import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.util.JsonFormat.TypeRegistry;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code call HOST:PORT pkg.Service/Method [JSON]}: one call of any kind. */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = {
      "Calls METHOD with the JSON request(s) and prints each response as a JSON line.",
      "Unary and server-streaming methods take one request (none: an empty one);"
          + " client-streaming and bidi methods read JSON objects from standard input one after"
          + " another unless JSON or -d is given."
    })
final class CallCommand extends SourceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server (a target).")
  String target;

  @Parameters(
      index = "1",
      paramLabel = "METHOD",
      description = "pkg.Service/Method (or pkg.Service.Method).")
  String method;

  @Parameters(
      index = "2",
      arity = "0..1",
      paramLabel = "JSON",
      description = "The request(s), as JSON objects.")
  String body;

  @Option(
      names = {"-d", "--data"},
      paramLabel = "JSON|@",
      description = "The request(s); @ reads them from standard input.")
  String data;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "The call's deadline, such as 5s or 500ms (default: none).")
  Duration deadline;

  @Override
  public Integer call() throws CliException {
    if (body != null && data != null) {
      throw new CliException(
          Main.EXIT_USAGE, "ERROR: give the request as JSON or with -d, not both");
    }
    try (Connection conn = Connection.open(connection, target)) {
      DescriptorSource source = source(conn, deadline);
      try {
        MethodDescriptor found = findMethod(source);
        JsonMessages json =
            new JsonMessages(
                TypeRegistry.newBuilder()
                    .add(found.getInputType())
                    .add(found.getOutputType())
                    .build());
        new Invoker(conn.channel(), json, main.out)
            .call(found, json.reading(requests(found), found.getInputType()), deadline);
      } finally {
        close(source);
      }
    }
    return Main.EXIT_OK;
  }

  private Reader requests(MethodDescriptor found) {
    String text = body != null ? body : data;
    if ("@".equals(text) || (text == null && found.isClientStreaming())) {
      return new InputStreamReader(main.in, StandardCharsets.UTF_8);
    }
    return new StringReader(text == null ? "" : text);
  }

  private MethodDescriptor findMethod(DescriptorSource source) throws CliException {
    String name = symbol(method);
    int dot = name.lastIndexOf('.');
    if (dot <= 0 || dot == name.length() - 1) {
      throw new CliException(
          Main.EXIT_USAGE, "ERROR: method must be pkg.Service/Method, not " + method);
    }
    GenericDescriptor service = source.findSymbol(name.substring(0, dot));
    if (!(service instanceof ServiceDescriptor found)) {
      throw CliException.failed(name.substring(0, dot) + " is not a service");
    }
    MethodDescriptor rpc = found.findMethodByName(name.substring(dot + 1));
    if (rpc == null) {
      throw CliException.failed(
          "service " + found.getFullName() + " has no method " + name.substring(dot + 1));
    }
    return rpc;
  }
}
