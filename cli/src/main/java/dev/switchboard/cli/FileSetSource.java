package dev.switchboard.cli;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Descriptors from {@code --protoset} files (FileDescriptorSets, with their imports), or from
 * {@code --proto} files compiled to one by protoc.
 */
final class FileSetSource implements DescriptorSource {
  private final DescriptorPool pool =
      new DescriptorPool(
          name -> {
            throw CliException.failed(
                "file "
                    + name
                    + " is missing from the protosets (protoc --include_imports adds it)");
          });
  private final Map<String, GenericDescriptor> symbols = new HashMap<>();
  private final List<String> services = new ArrayList<>();

  private FileSetSource() {}

  static FileSetSource fromProtosets(List<Path> protosets) throws CliException {
    FileSetSource source = new FileSetSource();
    for (Path protoset : protosets) {
      try (InputStream in = Files.newInputStream(protoset)) {
        for (FileDescriptorProto file : FileDescriptorSet.parseFrom(in).getFileList()) {
          source.pool.add(file);
        }
      } catch (IOException e) {
        throw CliException.failed("cannot read protoset " + protoset + ": " + e.getMessage());
      }
    }
    source.buildAll();
    return source;
  }

  /** Compiles {@code protoFiles} with protoc into a descriptor set, and reads that. */
  static FileSetSource fromProtoFiles(List<Path> protoFiles, List<Path> importPaths)
      throws CliException {
    String protoc =
        System.getProperty("switchboard.protoc", System.getenv().getOrDefault("PROTOC", "protoc"));
    Path set = null;
    try {
      set = Files.createTempFile("switchboard", ".protoset");
      List<String> command = new ArrayList<>(List.of(protoc, "--include_imports"));
      command.add("--descriptor_set_out=" + set);
      for (Path dir : importPaths) {
        command.add("--proto_path=" + dir);
      }
      if (importPaths.isEmpty()) {
        command.add("--proto_path=.");
      }
      for (Path file : protoFiles) {
        command.add(file.toString());
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw CliException.failed("protoc failed: " + output.strip());
      }
      return fromProtosets(List.of(set));
    } catch (IOException e) {
      throw CliException.failed(
          "cannot run protoc (set $PROTOC or put it on the PATH, or use --protoset): "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    } finally {
      if (set != null) {
        try {
          Files.deleteIfExists(set);
        } catch (IOException e) {
          // a temporary file left behind
        }
      }
    }
  }

  @Override
  public List<String> listServices() {
    return services;
  }

  @Override
  public GenericDescriptor findSymbol(String fullName) throws CliException {
    GenericDescriptor symbol = symbols.get(fullName);
    if (symbol == null) {
      throw CliException.failed("symbol not found: " + fullName);
    }
    return symbol;
  }

  private void buildAll() throws CliException {
    for (String name : pool.names()) {
      FileDescriptor file = pool.build(name);
      Symbols.addAll(file, symbols);
      for (ServiceDescriptor service : file.getServices()) {
        services.add(service.getFullName());
      }
    }
  }
}
