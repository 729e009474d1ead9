package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles what the plugin generates for every test proto, with the message classes from protoc's
 * {@code --java_out}, against the api and protobuf-java: generated code that does not compile, or
 * compiles with a warning (javac's lint and doclint: every public member documented, with its
 * {@code @param} and {@code @return} tags), fails here. Then compiles and runs the usage checks in
 * {@code src/test/usage}, which call the generated stubs over a {@link LoopbackChannel} and check
 * the descriptors and base classes.
 */
class GeneratedCodeTest {
  private static Path classes;
  private static Path stubSources;

  @BeforeAll
  static void generateAndCompile() throws Exception {
    Protoc protoc = Protoc.locate();
    Path work = protoc.workDir().resolve("compile");
    deleteRecursively(work);
    Path messageSources = work.resolve("messages");
    stubSources = work.resolve("stubs");
    classes = Files.createDirectories(work.resolve("classes"));

    protoc.generateMessages(Protoc.TEST_PROTOS, messageSources);
    CodeGeneratorResponse response =
        SwitchboardGenerator.generate(protoc.request(Protoc.TEST_PROTOS, ""));
    assertFalse(response.hasError(), response.getError());
    for (CodeGeneratorResponse.File file : response.getFileList()) {
      Path path = stubSources.resolve(file.getName());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getContent(), StandardCharsets.UTF_8);
    }

    // protoc's classes first, without lint: their warnings are not ours.
    javac(List.of("-nowarn"), javaFiles(messageSources));
    // Ours strictly: any warning fails, a missing or broken Javadoc tag in the stubs included.
    List<Path> strict = new ArrayList<>(javaFiles(stubSources));
    strict.addAll(javaFiles(Paths.get(Protoc.property("usage.dir"))));
    javac(
        List.of(
            "-Xlint:all",
            "-Xdoclint:all/protected",
            "-Xdoclint/package:-dev.switchboard.compiler.usage",
            "-Werror"),
        strict);
  }

  @Test
  void everyServiceCompiled() {
    assertTrue(
        Files.exists(
            classes.resolve("dev/switchboard/compiler/test/kinds/KindServiceSwitchboard.class")));
    assertTrue(
        Files.exists(
            classes.resolve("dev/switchboard/compiler/test/kinds/AdminServiceSwitchboard.class")));
    assertTrue(Files.exists(classes.resolve("switchboard/test/echo/EchoServiceSwitchboard.class")));
    assertTrue(Files.exists(classes.resolve("DoorSwitchboard.class")));
  }

  @Test
  void kindServiceStubsAndBaseClassWork() throws Exception {
    runUsage("dev.switchboard.compiler.usage.KindServiceUsage");
  }

  @Test
  void namingRulesMatchProtocMessageClasses() throws Exception {
    runUsage("dev.switchboard.compiler.usage.NamingUsage");
  }

  /** Runs the static {@code run()} of a compiled usage class, unwrapping its assertion errors. */
  private static void runUsage(String className) throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, GeneratedCodeTest.class.getClassLoader())) {
      Class<?> usage = Class.forName(className, true, loader);
      try {
        usage.getMethod("run").invoke(null);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof Exception | e.getCause() instanceof Error) {
          sneakyThrow(e.getCause());
        }
        throw e;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  private static void javac(List<String> options, List<Path> sources) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertNotNull(compiler, "tests need a JDK, not a JRE");
    List<String> args = new ArrayList<>(options);
    args.addAll(
        List.of(
            "--release",
            "17",
            "-encoding",
            "UTF-8",
            "-proc:none",
            "-classpath",
            System.getProperty("java.class.path") + File.pathSeparator + classes,
            "-d",
            classes.toString()));
    sources.forEach(s -> args.add(s.toString()));
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status = compiler.run(null, output, output, args.toArray(String[]::new));
    assertEquals(0, status, "javac failed:\n" + output.toString(StandardCharsets.UTF_8));
  }

  private static List<Path> javaFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
