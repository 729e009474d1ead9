package dev.switchboard.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The programs' command lines: usage errors exit 2 without touching the network. */
class CommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int client(String... args) {
    return InteropClient.run(args, print(out), print(err));
  }

  private int server(String... args) throws InterruptedException {
    return InteropServer.run(args, print(out), print(err));
  }

  private static PrintStream print(ByteArrayOutputStream to) {
    return new PrintStream(to, true, StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void clientNeedsAPort() {
    assertEquals(2, client("--server_host=127.0.0.1", "--test_case=empty_unary"));
    assertTrue(err().contains("--server_port is required"), err());
  }

  @Test
  void clientTakesTlsFlags() {
    // Accepted, with the test CA; the case then fails: nothing listens on port 1.
    assertEquals(
        1,
        client(
            "--server_port=1",
            "--use_tls=true",
            "--use_test_ca=true",
            "--server_host_override=foo.test.google.fr",
            "--test_case=empty_unary"));
  }

  @Test
  void clientTakesAServiceConfigAndRefusesAnInvalidOne() {
    assertEquals(
        2,
        client(
            "--server_port=1",
            "--service_config_json={\"methodConfig\": [{\"name\": [{}], \"timeout\": 1}]}"));
    assertTrue(
        err()
            .contains(
                "--service_config_json: invalid default service config: invalid service"
                    + " config: methodConfig[0].timeout must be a duration string"),
        err());
    // A valid one is taken: the case runs (and fails, nothing listens on port 1).
    assertEquals(
        1,
        client(
            "--server_port=1",
            "--test_case=empty_unary",
            "--service_config_json={\"methodConfig\": [{\"name\": [{}], \"timeout\": \"1s\"}]}"));
  }

  @Test
  void clientRefusesUnknownCasesAndFlags() {
    assertEquals(2, client("--server_port=1", "--test_case=compute_engine_creds"));
    assertTrue(err().contains("unknown or unsupported test case 'compute_engine_creds'"), err());
    assertEquals(2, client("--server_port=1", "--bogus=1"));
    assertEquals(2, client("--server_port=1", "empty_unary"));
    assertEquals(2, client("--server_port=1", "--soak_iterations=3", "--soak_num_threads=2"));
  }

  @Test
  void clientHelpListsEveryCase() {
    assertEquals(0, client("--help"));
    String usage = out.toString(StandardCharsets.UTF_8);
    for (TestCase c : TestCase.values()) {
      assertTrue(usage.contains("  " + c.flagName() + ": "), c.flagName());
    }
  }

  @Test
  void serverNeedsAValidPort() throws InterruptedException {
    assertEquals(2, server());
    assertTrue(err().contains("--port is required"), err());
    assertEquals(2, server("--port=70000"));
    assertEquals(0, server("--help"));
  }

  @Test
  void caseNamesMatchTheInteropDescriptions() {
    assertEquals(
        TestCase.CLIENT_COMPRESSED_STREAMING_NOPROBE,
        TestCase.fromFlagName("client_compressed_streaming_noprobe"));
    assertEquals(null, TestCase.fromFlagName("EMPTY_UNARY"));
  }
}
