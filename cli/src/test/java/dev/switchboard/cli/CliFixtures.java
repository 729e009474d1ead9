package dev.switchboard.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.interop.proto.Messages.Payload;
import dev.switchboard.interop.proto.Messages.SimpleRequest;
import dev.switchboard.interop.proto.Messages.SimpleResponse;
import dev.switchboard.interop.proto.TestServiceSwitchboard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the CLI tests share: services to call, and the CLI run in this JVM with captured streams.
 */
final class CliFixtures {
  private CliFixtures() {}

  /** Answers {@code interop} calls with a payload of the asked size; the rest UNIMPLEMENTED. */
  static final class TestService extends TestServiceSwitchboard.TestServiceImplBase {
    @Override
    public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
      responses.onNext(
          SimpleResponse.newBuilder()
              .setUsername("cli")
              .setPayload(
                  Payload.newBuilder()
                      .setBody(ByteString.copyFrom(new byte[request.getResponseSize()])))
              .build());
      responses.onCompleted();
    }
  }

  /** grpc.health.v1.Health/Check: "" is SERVING, "down" NOT_SERVING, others NOT_FOUND. */
  static ServiceDefinition fakeHealth() {
    var check = HealthProtocol.CHECK;
    return ServiceDefinition.newBuilder("grpc.health.v1.Health")
        .addMethod(
            Invoker.methodOf(check),
            ServerCalls.<DynamicMessage, DynamicMessage>asyncUnaryCall(
                (request, responses) -> {
                  String service =
                      (String) request.getField(check.getInputType().findFieldByName("service"));
                  String status =
                      switch (service) {
                        case "" -> "SERVING";
                        case "down" -> "NOT_SERVING";
                        default -> null;
                      };
                  if (status == null) {
                    responses.onError(
                        Status.NOT_FOUND.withDescription("unknown service").asRuntimeException());
                    return;
                  }
                  var field = check.getOutputType().findFieldByName("status");
                  responses.onNext(
                      DynamicMessage.newBuilder(check.getOutputType())
                          .setField(field, field.getEnumType().findValueByName(status))
                          .build());
                  responses.onCompleted();
                }))
        .build();
  }

  record Result(int exitCode, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
  }

  static Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result run(String... args) {
    return runWithInput("", args);
  }

  /** A descriptor set of {@code file} and everything it imports, dependencies first. */
  static FileDescriptorSet descriptorSet(FileDescriptor file) {
    Set<FileDescriptor> files = new LinkedHashSet<>();
    collect(file, files);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    files.forEach(f -> set.addFile(f.toProto()));
    return set.build();
  }

  private static void collect(FileDescriptor file, Set<FileDescriptor> into) {
    for (FileDescriptor dependency : file.getDependencies()) {
      collect(dependency, into);
    }
    into.add(file);
  }
}
