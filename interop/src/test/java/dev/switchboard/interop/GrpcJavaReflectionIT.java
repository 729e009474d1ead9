package dev.switchboard.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.interop.proto.TestServiceSwitchboard;
import dev.switchboard.reflection.ReflectionService;
import dev.switchboard.server.Servers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Our reflection service read by grpc-java's reflection stubs: a program on grpc-java's class path
 * ({@code src/test/peer-java/GrpcJavaReflectionPeer.java}, run as a single-file source program)
 * asks our server, over v1 and then v1alpha, for its services, the file of {@code
 * grpc.testing.TestService} with its dependencies (which must build into descriptors), a file
 * already sent, and an unknown symbol (NOT_FOUND). The same program's checks pass against
 * grpc-java's own {@code ProtoReflectionServiceV1} (its {@code server} mode), which the cli
 * module's {@code GrpcJavaReflectionServerIT} uses the other way round.
 */
class GrpcJavaReflectionIT {
  static final Path PEER = Programs.HOME.resolve("src/test/peer-java/GrpcJavaReflectionPeer.java");

  @Test
  void grpcJavaReflectionClientReadsOurServer() throws Exception {
    Server server =
        Servers.newServer(
            ServerOptions.newBuilder()
                .insecure()
                .listen("127.0.0.1", 0)
                .addService(new TestServiceSwitchboard.TestServiceImplBase() {}.bindService())
                .build());
    ReflectionService.addTo(server);
    server.start();
    try (PeerProcess client =
        PeerProcess.start(
            "grpc-java-reflection-client",
            List.of(
                Programs.JAVA,
                "-cp",
                Programs.grpcJavaClasspath(),
                PEER.toString(),
                "client",
                String.valueOf(server.port())),
            Programs.LOGS.resolve("grpc-java-reflection-client.log"),
            Pattern.compile("^RESULT (\\w+)"))) {
      Matcher result = client.awaitLine(120, TimeUnit.SECONDS);
      String log = client.tail();
      assertEquals("PASS", result.group(1), log);
      assertTrue(log.contains("PASS v1\n") && log.contains("PASS v1alpha\n"), log);
    } finally {
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    }
  }
}
