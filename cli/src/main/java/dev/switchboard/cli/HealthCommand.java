package dev.switchboard.cli;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.stub.ClientCalls;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code health HOST:PORT [SERVICE]}: {@code grpc.health.v1.Health/Check}; 0 only when SERVING. */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the health of the server, or of SERVICE (grpc.health.v1.Health/Check), and prints"
          + " its status.",
      "Exits 0 only when the status is SERVING; 1 for another status; 64+code when the check"
          + " fails (76 UNIMPLEMENTED: no health service; 69 NOT_FOUND: unknown service)."
    })
final class HealthCommand extends SourceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server (a target).")
  String target;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "SERVICE",
      description = "The service to check (default: the server as a whole).")
  String service = "";

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue = "10s",
      description = "The check's deadline (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Override
  public Integer call() throws CliException {
    DynamicMessage request =
        DynamicMessage.newBuilder(HealthProtocol.CHECK.getInputType())
            .setField(HealthProtocol.CHECK.getInputType().findFieldByName("service"), service)
            .build();
    DynamicMessage response;
    try (Connection conn = Connection.open(connection, target)) {
      response =
          ClientCalls.blockingUnaryCall(
              conn.channel(),
              Invoker.methodOf(HealthProtocol.CHECK),
              CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS),
              request);
    } catch (StatusRuntimeException e) {
      throw CliException.of(e.getStatus());
    }
    FieldDescriptor statusField = HealthProtocol.CHECK.getOutputType().findFieldByName("status");
    String status = ((EnumValueDescriptor) response.getField(statusField)).getName();
    main.out.println("{\"status\":\"" + status + "\"}");
    if (!status.equals("SERVING")) {
      throw CliException.failed((service.isEmpty() ? "server" : service) + " is " + status);
    }
    return Main.EXIT_OK;
  }
}
