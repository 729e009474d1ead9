package dev.switchboard.cli;

import static dev.switchboard.cli.CliFixtures.descriptorSet;
import static dev.switchboard.cli.CliFixtures.fakeHealth;
import static dev.switchboard.cli.CliFixtures.run;
import static dev.switchboard.cli.CliFixtures.runWithInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.examples.GreeterService;
import dev.switchboard.examples.helloworld.HelloWorldProto;
import dev.switchboard.reflection.ReflectionService;
import dev.switchboard.server.Servers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                .addService(new CliFixtures.TestService().bindService())
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

  static void assertOk(CliFixtures.Result result) {
    assertEquals(0, result.exitCode(), result.toString());
  }

  @Test
  void listsServicesAndMethods() {
    CliFixtures.Result services = run("list", "--plaintext", target);
    assertOk(services);
    assertEquals(
        List.of(
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "grpc.testing.TestService",
            "switchboard.examples.helloworld.Greeter"),
        services.lines());

    CliFixtures.Result methods =
        run("list", "--plaintext", target, "switchboard.examples.helloworld.Greeter");
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
    CliFixtures.Result service =
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

    CliFixtures.Result message =
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

    CliFixtures.Result method =
        run("describe", "--plaintext", target, "grpc.testing.TestService/UnaryCall");
    assertOk(method);
    assertEquals(
        """
        grpc.testing.TestService.UnaryCall is a method:
        rpc UnaryCall ( .grpc.testing.SimpleRequest ) returns ( .grpc.testing.SimpleResponse );
        """,
        method.out());

    // In messages.proto, which test.proto imports: fetched as a dependency.
    CliFixtures.Result imported = run("describe", "--plaintext", target, "grpc.testing.Payload");
    assertOk(imported);
    assertTrue(imported.out().contains("bytes body = 2;"), imported.out());
  }

  @Test
  void callsEachKindOfMethod() {
    CliFixtures.Result unary =
        run(
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/SayHello",
            "{\"name\":\"ada\"}");
    assertOk(unary);
    assertEquals(List.of("{\"message\":\"Hello, ada!\",\"backend\":\"cli-test\"}"), unary.lines());

    CliFixtures.Result serverStreaming =
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

    CliFixtures.Result clientStreaming =
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

    CliFixtures.Result bidi =
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

    CliFixtures.Result fromStdin =
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

    CliFixtures.Result empty =
        run("call", "--plaintext", target, "switchboard.examples.helloworld.Greeter/SayHello");
    assertOk(empty);
    assertEquals(
        List.of("{\"message\":\"Hello, stranger!\",\"backend\":\"cli-test\"}"), empty.lines());
  }

  @Test
  void failingCallsExitWithSixtyFourPlusTheirCode() {
    CliFixtures.Result invalid =
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

    CliFixtures.Result unimplemented =
        run("call", "--plaintext", target, "grpc.testing.TestService/EmptyCall", "{}");
    assertEquals(64 + 12, unimplemented.exitCode(), unimplemented.toString());
    assertTrue(unimplemented.err().startsWith("ERROR: code = Unimplemented desc = "));
  }

  @Test
  void unknownSymbolsMethodsAndBadJsonExitOne() {
    CliFixtures.Result symbol = run("describe", "--plaintext", target, "nope.Nothing");
    assertEquals(1, symbol.exitCode(), symbol.toString());
    assertTrue(symbol.err().startsWith("ERROR: symbol not found: nope.Nothing"), symbol.err());

    CliFixtures.Result method =
        run("call", "--plaintext", target, "switchboard.examples.helloworld.Greeter/Nope", "{}");
    assertEquals(1, method.exitCode(), method.toString());

    CliFixtures.Result json =
        run(
            "call",
            "--plaintext",
            target,
            "switchboard.examples.helloworld.Greeter/SayHello",
            "{\"nom\":1}");
    assertEquals(1, json.exitCode(), json.toString());
    assertTrue(json.err().startsWith("ERROR: bad request JSON"), json.err());

    CliFixtures.Result usage = run("call", "--plaintext", target);
    assertEquals(2, usage.exitCode(), usage.toString());
  }

  @Test
  void healthExitsZeroOnlyWhenServing() {
    CliFixtures.Result serving = run("health", "--plaintext", target);
    assertOk(serving);
    assertEquals(List.of("{\"status\":\"SERVING\"}"), serving.lines());

    CliFixtures.Result down = run("health", "--plaintext", target, "down");
    assertEquals(1, down.exitCode(), down.toString());
    assertEquals(List.of("{\"status\":\"NOT_SERVING\"}"), down.lines());

    CliFixtures.Result unknown = run("health", "--plaintext", target, "who");
    assertEquals(64 + 5, unknown.exitCode(), unknown.toString());

    CliFixtures.Result none = run("health", "--plaintext", "127.0.0.1:" + bare.port());
    assertEquals(64 + 12, none.exitCode(), none.toString());
  }

  @Test
  void protosetReplacesReflection(@TempDir Path dir) throws Exception {
    CliFixtures.Result noReflection = run("list", "--plaintext", "127.0.0.1:" + bare.port());
    assertEquals(64 + 12, noReflection.exitCode(), noReflection.toString());

    Path protoset = dir.resolve("helloworld.protoset");
    Files.write(protoset, descriptorSet(HelloWorldProto.getDescriptor()).toByteArray());
    CliFixtures.Result call =
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

    CliFixtures.Result list =
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
      CliFixtures.Result call =
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

      CliFixtures.Result missing =
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
    CliFixtures.Result result =
        run("list", "--plaintext", "--connect-timeout", "2s", "127.0.0.1:" + port);
    assertTrue(result.exitCode() == 64 + 14 || result.exitCode() == 64 + 4, result.toString());
    assertTrue(result.err().startsWith("ERROR: code = "), result.err());
  }
}
