package dev.switchboard.reflection;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.switchboard.api.ServiceDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What reflection knows of a set of services: their names, and the proto files their schema
 * descriptors lead to (the service's file and every file it imports, transitively), by file name,
 * by symbol and by extension. Immutable; its size is that of the schema, never of anything a peer
 * sends.
 *
 * <p>A service's schema descriptor ({@link ServiceDefinition#getSchemaDescriptor()}) is used when
 * it is protobuf's {@link ServiceDescriptor} (as generated code sets it) or a {@link
 * FileDescriptor}; services with none are listed by name, and nothing more is known of them. When
 * two different files have the same name, the first one met wins.
 */
final class SchemaIndex {
  private final List<String> serviceNames;
  private final Map<String, FileDescriptor> filesByName = new HashMap<>();
  private final Map<String, FileDescriptor> filesBySymbol = new HashMap<>();
  private final Set<String> messages = new HashSet<>(); // full names
  // extended message's full name -> extension number -> extension
  private final Map<String, Map<Integer, FieldDescriptor>> extensions = new HashMap<>();
  private final Map<String, ByteString> serialized = new HashMap<>(); // by file name

  SchemaIndex(List<ServiceDefinition> services) {
    List<String> names = new ArrayList<>();
    for (ServiceDefinition service : services) {
      names.add(service.getServiceName());
      FileDescriptor file = fileOf(service.getSchemaDescriptor());
      if (file != null) {
        addWithDependencies(file);
      }
    }
    this.serviceNames = List.copyOf(names);
  }

  /** The names of the services, in the order given. */
  List<String> serviceNames() {
    return serviceNames;
  }

  /** The file of this name, or null. */
  FileDescriptor file(String name) {
    return filesByName.get(name);
  }

  /**
   * The file defining this fully qualified symbol (no leading dot): a service, method, message,
   * field, enum or extension; or null.
   */
  FileDescriptor fileContainingSymbol(String symbol) {
    return filesBySymbol.get(symbol);
  }

  /** The file defining extension {@code number} of message {@code extendedType}, or null. */
  FileDescriptor fileContainingExtension(String extendedType, int number) {
    FieldDescriptor extension = extensions.getOrDefault(extendedType, Map.of()).get(number);
    return extension == null ? null : extension.getFile();
  }

  /** Whether {@code fullName} is a message type of a known file. */
  boolean isMessage(String fullName) {
    return messages.contains(fullName);
  }

  /** The numbers of the known extensions of message {@code extendedType}, ascending. */
  List<Integer> extensionNumbers(String extendedType) {
    return List.copyOf(extensions.getOrDefault(extendedType, Map.of()).keySet());
  }

  /**
   * {@code file} serialized, then those of its transitive dependencies that {@code sent} does not
   * hold, each once; adds every file it returns to {@code sent}.
   */
  List<ByteString> withDependencies(FileDescriptor file, Set<String> sent) {
    List<ByteString> out = new ArrayList<>();
    Deque<FileDescriptor> todo = new ArrayDeque<>();
    todo.add(file);
    sent.add(file.getName());
    out.add(serialized.get(file.getName()));
    while (!todo.isEmpty()) {
      for (FileDescriptor dependency : todo.poll().getDependencies()) {
        if (sent.add(dependency.getName())) {
          out.add(serialized.get(dependency.getName()));
          todo.add(dependency);
        }
      }
    }
    return out;
  }

  private static FileDescriptor fileOf(Object schemaDescriptor) {
    if (schemaDescriptor instanceof ServiceDescriptor service) {
      return service.getFile();
    }
    if (schemaDescriptor instanceof FileDescriptor file) {
      return file;
    }
    return null;
  }

  private void addWithDependencies(FileDescriptor root) {
    Deque<FileDescriptor> todo = new ArrayDeque<>();
    todo.add(root);
    while (!todo.isEmpty()) {
      FileDescriptor file = todo.poll();
      if (filesByName.putIfAbsent(file.getName(), file) != null) {
        continue;
      }
      serialized.put(file.getName(), file.toProto().toByteString());
      indexFile(file);
      todo.addAll(file.getDependencies());
    }
  }

  private void indexFile(FileDescriptor file) {
    for (ServiceDescriptor service : file.getServices()) {
      symbol(service.getFullName(), file);
      for (MethodDescriptor method : service.getMethods()) {
        symbol(method.getFullName(), file);
      }
    }
    for (Descriptor message : file.getMessageTypes()) {
      indexMessage(message, file);
    }
    for (EnumDescriptor enumType : file.getEnumTypes()) {
      symbol(enumType.getFullName(), file);
    }
    for (FieldDescriptor extension : file.getExtensions()) {
      indexExtension(extension, file);
    }
  }

  private void indexMessage(Descriptor message, FileDescriptor file) {
    symbol(message.getFullName(), file);
    messages.add(message.getFullName());
    for (FieldDescriptor field : message.getFields()) {
      symbol(field.getFullName(), file);
    }
    for (Descriptor nested : message.getNestedTypes()) {
      indexMessage(nested, file);
    }
    for (EnumDescriptor enumType : message.getEnumTypes()) {
      symbol(enumType.getFullName(), file);
    }
    for (FieldDescriptor extension : message.getExtensions()) {
      indexExtension(extension, file);
    }
  }

  private void indexExtension(FieldDescriptor extension, FileDescriptor file) {
    symbol(extension.getFullName(), file);
    extensions
        .computeIfAbsent(extension.getContainingType().getFullName(), t -> new TreeMap<>())
        .putIfAbsent(extension.getNumber(), extension);
  }

  private void symbol(String fullName, FileDescriptor file) {
    filesBySymbol.putIfAbsent(fullName, file);
  }
}
