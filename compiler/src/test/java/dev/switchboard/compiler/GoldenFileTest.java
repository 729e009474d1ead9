package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Compares the plugin's output for each test proto with the golden files in {@code
 * src/test/resources/golden} (one {@code <java path>.txt} per generated file). Run with {@code
 * -Dgolden.update=true} to rewrite them after an intended change, then review the diff.
 */
class GoldenFileTest {
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final List<String> TEST_PROTOS = Protoc.TEST_PROTOS;

  private static Protoc protoc;
  private static Path goldenDir;

  @BeforeAll
  static void locateProtoc() throws Exception {
    protoc = Protoc.locate();
    goldenDir = Paths.get(Protoc.property("golden.dir"));
  }

  @ParameterizedTest
  @FieldSource("TEST_PROTOS")
  void generatedSourceMatchesGolden(String proto) throws Exception {
    CodeGeneratorResponse response =
        SwitchboardGenerator.generate(protoc.request(List.of(proto), ""));
    assertFalse(response.hasError(), response.getError());
    assertFalse(response.getFileList().isEmpty(), "every test proto has a service");
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      Path golden = goldenDir.resolve(file.getName() + ".txt");
      if (UPDATE) {
        write(golden, file.getContent());
        continue;
      }
      assertTrue(
          Files.exists(golden),
          "no golden file " + golden + "; run the tests with -Dgolden.update=true to create it");
      assertSameLines(Files.readString(golden, StandardCharsets.UTF_8), file.getContent(), golden);
    }
  }

  @Test
  void everyGoldenFileIsGenerated() throws Exception {
    CodeGeneratorResponse response = SwitchboardGenerator.generate(protoc.request(TEST_PROTOS, ""));
    assertFalse(response.hasError(), response.getError());
    Set<String> generated =
        response.getFileList().stream()
            .map(f -> f.getName() + ".txt")
            .collect(Collectors.toCollection(TreeSet::new));
    if (UPDATE) {
      for (String stale : goldenFiles()) {
        if (!generated.contains(stale)) {
          Files.delete(goldenDir.resolve(stale));
        }
      }
      for (CodeGeneratorResponse.File file : response.getFileList()) {
        write(goldenDir.resolve(file.getName() + ".txt"), file.getContent());
      }
    }
    assertEquals(generated, goldenFiles(), "golden files without a generated file are stale");
  }

  private static void write(Path golden, String content) throws IOException {
    Files.createDirectories(golden.getParent());
    Files.writeString(golden, content, StandardCharsets.UTF_8);
  }

  private static Set<String> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.walk(goldenDir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> goldenDir.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Fails at the first differing line, showing both, rather than dumping two whole files. */
  private static void assertSameLines(String expected, String actual, Path golden) {
    String[] want = expected.split("\n", -1);
    String[] got = actual.split("\n", -1);
    for (int i = 0; i < Math.max(want.length, got.length); i++) {
      String w = i < want.length ? want[i] : "<end of file>";
      String g = i < got.length ? got[i] : "<end of file>";
      if (!w.equals(g)) {
        fail(
            golden
                + " differs at line "
                + (i + 1)
                + "\n  golden:    "
                + w
                + "\n  generated: "
                + g
                + "\n(run with -Dgolden.update=true if the change is intended)");
      }
    }
  }
}
