package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the plugin the way users do: protoc starts it as {@code protoc-gen-switchboard} (here a
 * shell script launching a JVM on the test class path) and writes what it returns.
 */
class ProtocPluginTest {
  private static Protoc protoc;
  private static Path plugin;

  @BeforeAll
  static void writeLauncher() throws Exception {
    protoc = Protoc.locate();
    Assumptions.assumeFalse(
        System.getProperty("os.name").startsWith("Windows"),
        "Assuming a POSIX shell for the plugin launcher script");
    plugin = protoc.workDir().resolve("protoc-gen-switchboard");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        plugin,
        "#!/bin/sh\nexec '"
            + java
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + SwitchboardGenerator.class.getName()
            + "\n",
        StandardCharsets.UTF_8);
    plugin.toFile().setExecutable(true);
  }

  @Test
  void protocWritesTheGeneratedFiles() throws Exception {
    Path out = Files.createTempDirectory(protoc.workDir(), "plugin-out");

    protoc.runPlugin(
        plugin, List.of("kinds/all_kinds.proto", "editions/edition2024.proto"), out, "");

    Path golden = Paths.get(System.getProperty("golden.dir"));
    for (String file :
        List.of(
            "dev/switchboard/compiler/test/kinds/KindServiceSwitchboard.java",
            "dev/switchboard/compiler/test/kinds/AdminServiceSwitchboard.java",
            "dev/switchboard/compiler/test/editions/OracleSwitchboard.java")) {
      assertEquals(
          Files.readString(golden.resolve(file + ".txt")),
          Files.readString(out.resolve(file)),
          file);
    }
  }

  @Test
  void protocReportsTheErrorAndFails() throws Exception {
    Path out = Files.createTempDirectory(protoc.workDir(), "plugin-out");

    Protoc.ProcessFailedException e =
        assertThrows(
            Protoc.ProcessFailedException.class,
            () -> protoc.runPlugin(plugin, List.of("echo/echo.proto"), out, "bogus=1"));

    assertTrue(e.output.contains("Unknown parameter \"bogus=1\""), e.output);
  }
}
