package dev.switchboard.cli;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * File descriptor protos by name, built into {@link FileDescriptor}s on demand with their imports;
 * an import it does not hold is asked of a {@link Fetcher}. At most {@link #MAX_FILES} files: a
 * server cannot make the tool fetch without end.
 */
final class DescriptorPool {
  static final int MAX_FILES = 10_000;

  /** Supplies the files (the one named, maybe its imports too) the pool lacks. */
  interface Fetcher {
    List<FileDescriptorProto> fetch(String fileName) throws CliException;
  }

  private final Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
  private final Map<String, FileDescriptor> built = new HashMap<>();
  private final Fetcher fetcher;

  DescriptorPool(Fetcher fetcher) {
    this.fetcher = fetcher;
  }

  /** Adds a file unless one of that name is held already. */
  void add(FileDescriptorProto file) throws CliException {
    if (protos.size() >= MAX_FILES) {
      throw CliException.failed("more than " + MAX_FILES + " proto files");
    }
    protos.putIfAbsent(file.getName(), file);
  }

  /** The names of the files added, in order. */
  List<String> names() {
    return List.copyOf(protos.keySet());
  }

  /** The file of this name, built, with its imports (fetched when missing). */
  FileDescriptor build(String name) throws CliException {
    return build(name, new HashSet<>());
  }

  private FileDescriptor build(String name, Set<String> building) throws CliException {
    FileDescriptor file = built.get(name);
    if (file != null) {
      return file;
    }
    if (!protos.containsKey(name)) {
      for (FileDescriptorProto fetched : fetcher.fetch(name)) {
        add(fetched);
      }
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw CliException.failed("file not found: " + name);
    }
    if (!building.add(name)) {
      throw CliException.failed("import cycle through " + name);
    }
    FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < dependencies.length; i++) {
      dependencies[i] = build(proto.getDependency(i), building);
    }
    try {
      file = FileDescriptor.buildFrom(proto, dependencies);
    } catch (DescriptorValidationException e) {
      throw CliException.failed("invalid descriptor " + name + ": " + e.getMessage());
    }
    built.put(name, file);
    return file;
  }
}
