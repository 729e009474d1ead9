package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the protoc binary the build fetched ({@code -Dprotoc.path}) on the test protos ({@code
 * -Dproto.dir}), with protobuf-java's bundled well-known types on the import path. Tests that need
 * it are aborted, not failed, when protoc cannot run on this machine (an unsupported OS or CPU).
 */
final class Protoc {
  /** The test protos, relative to the proto directory. */
  static final List<String> TEST_PROTOS =
      List.of(
          "kinds/all_kinds.proto",
          "echo/echo.proto",
          "echo/echo_named.proto",
          "clash/clash.proto",
          "editions/edition2024.proto",
          "no_package.proto");

  /** The .proto files protobuf-java ships as resources. */
  private static final List<String> WELL_KNOWN_TYPES =
      List.of(
          "any.proto",
          "api.proto",
          "descriptor.proto",
          "duration.proto",
          "empty.proto",
          "field_mask.proto",
          "java_features.proto",
          "source_context.proto",
          "struct.proto",
          "timestamp.proto",
          "type.proto",
          "wrappers.proto");

  private final Path executable;
  private final Path protoDir;
  private final Path includeDir;
  private final Path workDir;

  private Protoc(Path executable, Path protoDir, Path includeDir, Path workDir) {
    this.executable = executable;
    this.protoDir = protoDir;
    this.includeDir = includeDir;
    this.workDir = workDir;
  }

  /**
   * The protoc the build fetched, after checking that it runs here. Fails (never skips) when it is
   * missing or cannot run: the build fetches protoc for every platform it supports, so either means
   * the build or the machine is broken, and a skipped golden test would hide it.
   */
  static Protoc locate() throws IOException, InterruptedException {
    Path executable = Paths.get(property("protoc.path"));
    if (!Files.isRegularFile(executable)) {
      throw new IllegalStateException(
          "the build fetched no protoc at "
              + executable
              + " (is this platform among the protoc-* profiles of compiler/pom.xml?)");
    }
    executable.toFile().setExecutable(true); // the dependency plugin copies without the x bit
    Path workDir = Files.createDirectories(Paths.get(property("work.dir")));
    String version;
    try {
      version = run(List.of(executable.toString(), "--version"), workDir);
    } catch (IOException e) {
      throw new IllegalStateException(
          executable
              + " does not run on "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch")
              + ": "
              + e,
          e);
    }
    if (!version.startsWith("libprotoc")) {
      throw new IllegalStateException(executable + " --version printed: " + version);
    }
    return new Protoc(
        executable, Paths.get(property("proto.dir")), extractWellKnownTypes(workDir), workDir);
  }

  Path workDir() {
    return workDir;
  }

  /**
   * Builds the request protoc would send a plugin for {@code files}: their descriptors with all
   * imports and source info (comments).
   */
  CodeGeneratorRequest request(List<String> files, String parameter)
      throws IOException, InterruptedException {
    Path descriptorSet = Files.createTempFile(workDir, "descriptors", ".pb");
    List<String> command = new ArrayList<>(baseCommand());
    command.add("--include_imports");
    command.add("--include_source_info");
    command.add("--descriptor_set_out=" + descriptorSet);
    command.addAll(files);
    run(command, protoDir);
    FileDescriptorSet set =
        FileDescriptorSet.parseFrom(
            Files.readAllBytes(descriptorSet), SwitchboardGenerator.extensionRegistry());
    Files.delete(descriptorSet);
    return CodeGeneratorRequest.newBuilder()
        .addAllFileToGenerate(files)
        .setParameter(parameter)
        .addAllProtoFile(set.getFileList())
        .build();
  }

  /** Runs {@code --java_out} for {@code files} into {@code outDir}: the message classes. */
  void generateMessages(List<String> files, Path outDir) throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    List<String> command = new ArrayList<>(baseCommand());
    command.add("--java_out=" + outDir);
    command.addAll(files);
    run(command, protoDir);
  }

  /**
   * Runs protoc with {@code pluginScript} as {@code protoc-gen-switchboard} and returns what protoc
   * printed; throws {@link ProcessFailedException} when protoc fails.
   */
  String runPlugin(Path pluginScript, List<String> files, Path outDir, String parameter)
      throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    List<String> command = new ArrayList<>(baseCommand());
    command.add("--plugin=protoc-gen-switchboard=" + pluginScript);
    command.add("--switchboard_out=" + outDir);
    if (!parameter.isEmpty()) {
      command.add("--switchboard_opt=" + parameter);
    }
    command.addAll(files);
    return run(command, protoDir);
  }

  private List<String> baseCommand() {
    return List.of(executable.toString(), "-I" + protoDir, "-I" + includeDir);
  }

  /** Runs a command; returns its output, or throws with it when the command fails. */
  static String run(List<String> command, Path dir) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    if (process.exitValue() != 0) {
      throw new ProcessFailedException(command, process.exitValue(), output);
    }
    return output;
  }

  /** A command that exited with a non-zero status; the message holds its output. */
  static final class ProcessFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    final String output;

    ProcessFailedException(List<String> command, int status, String output) {
      super(command + " exited with " + status + ":\n" + output);
      this.output = output;
    }
  }

  /** Copies the .proto files protobuf-java ships (the well-known types) to an include dir. */
  private static Path extractWellKnownTypes(Path workDir) throws IOException {
    Path include = Files.createDirectories(workDir.resolve("include/google/protobuf"));
    for (String name : WELL_KNOWN_TYPES) {
      try (InputStream in = Protoc.class.getResourceAsStream("/google/protobuf/" + name)) {
        assertNotNull(in, "protobuf-java ships google/protobuf/" + name);
        Files.copy(in, include.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return workDir.resolve("include");
  }

  /**
   * A path the build passes to the tests as a system property. Fails when it is missing (the tests
   * were started outside the build, or the pom lost the setting) rather than skipping.
   */
  static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          "the build sets -D"
              + name
              + " for these tests (see compiler/pom.xml); run them with Maven");
    }
    return value;
  }
}
