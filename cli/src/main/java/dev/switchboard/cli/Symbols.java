package dev.switchboard.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.Map;

/** Every symbol a file defines, by full name. */
final class Symbols {
  private Symbols() {}

  static void addAll(FileDescriptor file, Map<String, GenericDescriptor> into) {
    for (ServiceDescriptor service : file.getServices()) {
      into.putIfAbsent(service.getFullName(), service);
      for (MethodDescriptor method : service.getMethods()) {
        into.putIfAbsent(method.getFullName(), method);
      }
    }
    for (Descriptor message : file.getMessageTypes()) {
      addMessage(message, into);
    }
    for (EnumDescriptor enumType : file.getEnumTypes()) {
      into.putIfAbsent(enumType.getFullName(), enumType);
    }
    for (FieldDescriptor extension : file.getExtensions()) {
      into.putIfAbsent(extension.getFullName(), extension);
    }
  }

  private static void addMessage(Descriptor message, Map<String, GenericDescriptor> into) {
    into.putIfAbsent(message.getFullName(), message);
    for (FieldDescriptor field : message.getFields()) {
      into.putIfAbsent(field.getFullName(), field);
    }
    for (Descriptor nested : message.getNestedTypes()) {
      addMessage(nested, into);
    }
    for (EnumDescriptor enumType : message.getEnumTypes()) {
      into.putIfAbsent(enumType.getFullName(), enumType);
    }
    for (FieldDescriptor extension : message.getExtensions()) {
      into.putIfAbsent(extension.getFullName(), extension);
    }
  }
}
