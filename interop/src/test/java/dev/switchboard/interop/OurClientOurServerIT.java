package dev.switchboard.interop;

import dev.switchboard.api.DialOptions;
import dev.switchboard.clientconn.ClientConns;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our interop client against our interop server, both in this JVM over loopback: every case,
 * compression probes included.
 */
class OurClientOurServerIT {
  private static final MatrixReport REPORT =
      new MatrixReport(
          "our-client-vs-our-server",
          "Switchboard InteropClient -> Switchboard InteropServer (in-process):");
  private static InteropServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = InteropServer.start("127.0.0.1", 0);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.shutdown(5, TimeUnit.SECONDS);
    }
    REPORT.print();
  }

  @TestFactory
  Stream<DynamicTest> everyCase() {
    DialOptions dial = DialOptions.newBuilder().insecure().build();
    InteropTests.SoakConfig d = InteropTests.SoakConfig.defaults();
    InteropTests tests =
        new InteropTests(
            () -> ClientConns.newClient("127.0.0.1:" + server.port(), dial),
            new InteropTests.SoakConfig(
                Programs.SOAK_ITERATIONS,
                d.maxFailures(),
                5000,
                d.minTimeMsBetweenRpcs(),
                60,
                d.requestSize(),
                d.responseSize(),
                d.threads()));
    return Arrays.stream(TestCase.values()).map(c -> REPORT.test(c.flagName(), () -> tests.run(c)));
  }
}
