package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.examples.GreeterService;
import dev.switchboard.examples.helloworld.HelloWorldProto;
import dev.switchboard.interop.proto.Messages.Payload;
import dev.switchboard.interop.proto.Messages.SimpleRequest;
import dev.switchboard.interop.proto.Messages.SimpleResponse;
import dev.switchboard.interop.proto.TestServiceSwitchboard;
import dev.switchboard.reflection.ReflectionService;
import dev.switchboard.server.Servers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end, its {@code main} run in this JVM with captured standard streams, against a
 * loopback server with the greeter example, an interop test service and a health service (a fake
 * over dynamic messages), with reflection; and a second server without reflection, for {@code
 * --protoset}.
 */
class CliTest {
  private static Server server;
  private static Server bare;
  private static String target;

  @BeforeAll
  static void start() throws Exception {
    server =
        Servers.newServer(
            ServerOptions.newBuilder()
                .insecure()
                .listen("127.0.0.1", 0)
                .addService(new GreeterService("cli-test").bindService())
                .addService(new TestService().bindService())
                .addService(fakeHealth())
                .build());
    ReflectionService.addTo(server);
    server.start();
    target = "127.0.0.1:" + server.port();
    bare =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .addService(new GreeterService("bare").bindService())
                    .build())
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.shutdownNow();
    bare.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(bare.awaitTermination(10, TimeUnit.SECONDS));
  }

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

  static void assertOk(Result result) {
    assertEquals(0, result.exitCode(), result.toString());
  }

  @Test
  void listsServicesAndMethods() {
    Result services = run("list", "--plaintext", target);
    assertOk(services);
    assertEquals(
        List.of(
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "grpc.testing.TestService",
            "switchboard.examples.helloworld.Greeter"),
        services.lines());

    Result methods = run("list", "--plaintext", target, "switchboard.examples.helloworld.Greeter");
    assertOk(methods);
    assertEquals(
        List.of(
            "switchboard.examples.helloworld.Greeter.SayHello",
            "switchboard.examples.helloworld.Greeter.SayHelloStream",
            "switchboard.examples.helloworld.Greeter.SayHelloToAll",
            "switchboard.examples.helloworld.Greeter.Chat"),
        methods.lines());
  }

  @Test
  void describesServicesMethodsAndMessages() {
    Result service =
        run("describe", "--plaintext", target, "switchboard.examples.helloworld.Greeter");
    assertOk(service);
    assertEquals(
        """
        switchboard.examples.helloworld.Greeter is a service:
        service Greeter {
          rpc SayHello ( .switchboard.examples.helloworld.HelloRequest ) returns ( .switchboard.examples.helloworld.HelloReply );
          rpc SayHelloStream ( .switchboard.examples.helloworld.HelloRequest ) returns ( stream .switchboard.examples.helloworld.HelloReply );
          rpc SayHelloToAll ( stream .switchboard.examples.helloworld.HelloRequest ) returns ( .switchboard.examples.helloworld.HelloReply );
          rpc Chat ( stream .switchboard.examples.helloworld.HelloRequest ) returns ( stream .switchboard.examples.helloworld.HelloReply );
        }
        """,
        service.out());

    Result message =
        run("describe", "--plaintext", target, ".switchboard.examples.helloworld.HelloRequest");
    assertOk(message);
    assertEquals(
        """
        switchboard.examples.helloworld.HelloRequest is a message:
        message HelloRequest {
          string name = 1;
          int32 count = 2;
        }
        """,
        message.out());

    Result method = run("describe", "--plaintext", target, "grpc.testing.TestService/UnaryCall");
    assertOk(method);
    assertEquals(
        """
        grpc.testing.TestService.UnaryCall is a method:
        rpc UnaryCall ( .grpc.testing.SimpleRequest ) returns ( .grpc.testing.SimpleResponse );
        """,
        method.out());

    // In messages.proto, which test.proto imports: fetched as a dependency.
    Result imported = run("describe", "--plaintext", target, "grpc.testing.Payload");
    assertOk(imported);
    assertTrue(imported.out().contains("bytes body = 2;"), imported.out());
  }

  @Test
  void callsEachKindOfMethod() {
    Result unary =
        run(
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/SayHello",
            "{\"name\":\"ada\"}");
    assertOk(unary);
    assertEquals(List.of("{\"message\":\"Hello, ada!\",\"backend\":\"cli-test\"}"), unary.lines());

    Result serverStreaming =
        run(
            "call",
            "--plaintext",
            "--deadline",
            "10s",
            target,
            "switchboard.examples.helloworld.Greeter.SayHelloStream",
            "{\"name\":\"bo\",\"count\":2}");
    assertOk(serverStreaming);
    assertEquals(
        List.of(
            "{\"message\":\"Hello #1 of 2, bo!\",\"backend\":\"cli-test\"}",
            "{\"message\":\"Hello #2 of 2, bo!\",\"backend\":\"cli-test\"}"),
        serverStreaming.lines());

    Result clientStreaming =
        runWithInput(
            "{\"name\":\"a\"}\n{\"name\":\"b\"} {\"name\":\"c\"}",
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/SayHelloToAll");
    assertOk(clientStreaming);
    assertEquals(
        List.of("{\"message\":\"Hello, a, b, c! (3 names)\",\"backend\":\"cli-test\"}"),
        clientStreaming.lines());

    Result bidi =
        runWithInput(
            "{\"name\":\"a\"}\n{\"name\":\"b\"}\n",
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/Chat");
    assertOk(bidi);
    assertEquals(
        List.of(
            "{\"message\":\"Hi a, you are guest #1\",\"backend\":\"cli-test\"}",
            "{\"message\":\"Hi b, you are guest #2\",\"backend\":\"cli-test\"}"),
        bidi.lines());

    Result fromStdin =
        runWithInput(
            "{\"responseSize\": 3}",
            "call",
            "--plaintext",
            "-H",
            "x-user: cli",
            "-d",
            "@",
            target,
            "grpc.testing.TestService/UnaryCall");
    assertOk(fromStdin);
    assertEquals(
        List.of("{\"payload\":{\"body\":\"AAAA\"},\"username\":\"cli\"}"), fromStdin.lines());

    Result empty =
        run("call", "--plaintext", target, "switchboard.examples.helloworld.Greeter/SayHello");
    assertOk(empty);
    assertEquals(
        List.of("{\"message\":\"Hello, stranger!\",\"backend\":\"cli-test\"}"), empty.lines());
  }

  @Test
  void failingCallsExitWithSixtyFourPlusTheirCode() {
    Result invalid =
        run(
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/SayHelloStream",
            "{\"count\":-1}");
    assertEquals(64 + 3, invalid.exitCode(), invalid.toString());
    assertEquals(
        "ERROR: code = InvalidArgument desc = count must be between 0 and 100, got -1\n",
        invalid.err());

    Result unimplemented =
        run("call", "--plaintext", target, "grpc.testing.TestService/EmptyCall", "{}");
    assertEquals(64 + 12, unimplemented.exitCode(), unimplemented.toString());
    assertTrue(unimplemented.err().startsWith("ERROR: code = Unimplemented desc = "));
  }

  @Test
  void unknownSymbolsMethodsAndBadJsonExitOne() {
    Result symbol = run("describe", "--plaintext", target, "nope.Nothing");
    assertEquals(1, symbol.exitCode(), symbol.toString());
    assertTrue(symbol.err().startsWith("ERROR: symbol not found: nope.Nothing"), symbol.err());

    Result method =
        run("call", "--plaintext", target, "switchboard.examples.helloworld.Greeter/Nope", "{}");
    assertEquals(1, method.exitCode(), method.toString());

    Result json =
        run(
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/SayHello",
            "{\"nom\":1}");
    assertEquals(1, json.exitCode(), json.toString());
    assertTrue(json.err().startsWith("ERROR: bad request JSON"), json.err());

    Result usage = run("call", "--plaintext", target);
    assertEquals(2, usage.exitCode(), usage.toString());
  }

  @Test
  void healthExitsZeroOnlyWhenServing() {
    Result serving = run("health", "--plaintext", target);
    assertOk(serving);
    assertEquals(List.of("{\"status\":\"SERVING\"}"), serving.lines());

    Result down = run("health", "--plaintext", target, "down");
    assertEquals(1, down.exitCode(), down.toString());
    assertEquals(List.of("{\"status\":\"NOT_SERVING\"}"), down.lines());

    Result unknown = run("health", "--plaintext", target, "who");
    assertEquals(64 + 5, unknown.exitCode(), unknown.toString());

    Result none = run("health", "--plaintext", "127.0.0.1:" + bare.port());
    assertEquals(64 + 12, none.exitCode(), none.toString());
  }

  @Test
  void protosetReplacesReflection(@TempDir Path dir) throws Exception {
    Result noReflection = run("list", "--plaintext", "127.0.0.1:" + bare.port());
    assertEquals(64 + 12, noReflection.exitCode(), noReflection.toString());

    Path protoset = dir.resolve("helloworld.protoset");
    Files.write(protoset, descriptorSet(HelloWorldProto.getDescriptor()).toByteArray());
    Result call =
        run(
            "call",
            "--plaintext",
            "--protoset",
            protoset.toString(),
            "127.0.0.1:" + bare.port(),
            "switchboard.examples.helloworld.Greeter/SayHello",
            "{\"name\":\"cy\"}");
    assertOk(call);
    assertEquals(List.of("{\"message\":\"Hello, cy!\",\"backend\":\"bare\"}"), call.lines());

    Result list =
        run("list", "--plaintext", "--protoset", protoset.toString(), "127.0.0.1:" + bare.port());
    assertOk(list);
    assertEquals(List.of("switchboard.examples.helloworld.Greeter"), list.lines());
  }

  @Test
  void protoFilesAreCompiledWithProtoc() {
    Path protoc = Path.of(System.getProperty("cli.protoc", "protoc.exe"));
    Assumptions.assumeTrue(Files.isExecutable(protoc), "no protoc at " + protoc);
    System.setProperty("switchboard.protoc", protoc.toString());
    try {
      Result call =
          run(
              "call",
              "--plaintext",
              "--proto",
              "helloworld.proto",
              "-I",
              System.getProperty("cli.protos"),
              "127.0.0.1:" + bare.port(),
              "switchboard.examples.helloworld.Greeter/SayHello",
              "{\"name\":\"di\"}");
      assertOk(call);
      assertEquals(List.of("{\"message\":\"Hello, di!\",\"backend\":\"bare\"}"), call.lines());

      Result missing =
          run("list", "--plaintext", "--proto", "nope.proto", "127.0.0.1:" + bare.port());
      assertEquals(1, missing.exitCode(), missing.toString());
      assertTrue(missing.err().startsWith("ERROR: protoc failed: "), missing.err());
    } finally {
      System.clearProperty("switchboard.protoc");
    }
  }

  @Test
  void unreachableServerIsUnavailable() throws Exception {
    Server gone =
        Servers.newServer(ServerOptions.newBuilder().insecure().listen("127.0.0.1", 0).build())
            .start();
    int port = gone.port();
    gone.shutdownNow();
    assertTrue(gone.awaitTermination(10, TimeUnit.SECONDS));
    Result result = run("list", "--plaintext", "--connect-timeout", "2s", "127.0.0.1:" + port);
    assertTrue(result.exitCode() == 64 + 14 || result.exitCode() == 64 + 4, result.toString());
    assertTrue(result.err().startsWith("ERROR: code = "), result.err());
  }

  /** A descriptor set of {@code file} and everything it imports, dependencies first. */
  static FileDescriptorSet descriptorSet(FileDescriptor file) {
    Set<FileDescriptor> files = new LinkedHashSet<>();
    collect(file, files);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    List<FileDescriptor> ordered = new ArrayList<>(files);
    ordered.forEach(f -> set.addFile(f.toProto()));
    return set.build();
  }

  private static void collect(FileDescriptor file, Set<FileDescriptor> into) {
    for (FileDescriptor dependency : file.getDependencies()) {
      collect(dependency, into);
    }
    into.add(file);
  }
}
