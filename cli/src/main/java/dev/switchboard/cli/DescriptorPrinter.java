package dev.switchboard.cli;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.Locale;

/**
 * Prints a descriptor in {@code .proto} syntax, as grpcurl's {@code describe} does: {@code
 * helloworld.Greeter is a service:} then its definition. Options and comments are left out.
 */
final class DescriptorPrinter {
  private final StringBuilder out = new StringBuilder();

  private DescriptorPrinter() {}

  static String describe(GenericDescriptor descriptor) {
    DescriptorPrinter printer = new DescriptorPrinter();
    printer
        .out
        .append(descriptor.getFullName())
        .append(" is ")
        .append(kind(descriptor))
        .append(":\n");
    printer.print(descriptor, "");
    return printer.out.toString();
  }

  private static String kind(GenericDescriptor descriptor) {
    if (descriptor instanceof ServiceDescriptor) {
      return "a service";
    }
    if (descriptor instanceof MethodDescriptor) {
      return "a method";
    }
    if (descriptor instanceof Descriptor) {
      return "a message";
    }
    if (descriptor instanceof EnumDescriptor) {
      return "an enum";
    }
    if (descriptor instanceof FieldDescriptor field) {
      return field.isExtension() ? "an extension" : "a field";
    }
    return "a symbol";
  }

  private void print(GenericDescriptor descriptor, String indent) {
    if (descriptor instanceof ServiceDescriptor service) {
      out.append(indent).append("service ").append(service.getName()).append(" {\n");
      for (MethodDescriptor method : service.getMethods()) {
        print(method, indent + "  ");
      }
      out.append(indent).append("}\n");
    } else if (descriptor instanceof MethodDescriptor method) {
      out.append(indent)
          .append("rpc ")
          .append(method.getName())
          .append(" ( ")
          .append(method.isClientStreaming() ? "stream " : "")
          .append('.')
          .append(method.getInputType().getFullName())
          .append(" ) returns ( ")
          .append(method.isServerStreaming() ? "stream " : "")
          .append('.')
          .append(method.getOutputType().getFullName())
          .append(" );\n");
    } else if (descriptor instanceof Descriptor message) {
      printMessage(message, indent);
    } else if (descriptor instanceof EnumDescriptor enumType) {
      out.append(indent).append("enum ").append(enumType.getName()).append(" {\n");
      for (EnumValueDescriptor value : enumType.getValues()) {
        out.append(indent)
            .append("  ")
            .append(value.getName())
            .append(" = ")
            .append(value.getNumber())
            .append(";\n");
      }
      out.append(indent).append("}\n");
    } else if (descriptor instanceof FieldDescriptor field) {
      if (field.isExtension()) {
        out.append(indent)
            .append("extend .")
            .append(field.getContainingType().getFullName())
            .append(" {\n");
        printField(field, indent + "  ");
        out.append(indent).append("}\n");
      } else {
        printField(field, indent);
      }
    }
  }

  private void printMessage(Descriptor message, String indent) {
    out.append(indent).append("message ").append(message.getName()).append(" {\n");
    String inner = indent + "  ";
    for (FieldDescriptor field : message.getFields()) {
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof == null) {
        printField(field, inner);
      } else if (oneof.getField(0) == field) {
        out.append(inner).append("oneof ").append(oneof.getName()).append(" {\n");
        for (FieldDescriptor member : oneof.getFields()) {
          printField(member, inner + "  ");
        }
        out.append(inner).append("}\n");
      }
    }
    for (Descriptor nested : message.getNestedTypes()) {
      if (!nested.getOptions().getMapEntry()) {
        printMessage(nested, inner);
      }
    }
    for (EnumDescriptor enumType : message.getEnumTypes()) {
      print(enumType, inner);
    }
    for (DescriptorProto.ExtensionRange range : message.toProto().getExtensionRangeList()) {
      out.append(inner)
          .append("extensions ")
          .append(range.getStart())
          .append(" to ")
          .append(range.getEnd() - 1)
          .append(";\n");
    }
    out.append(indent).append("}\n");
  }

  private void printField(FieldDescriptor field, String indent) {
    out.append(indent);
    if (field.isMapField()) {
      Descriptor entry = field.getMessageType();
      out.append("map<")
          .append(typeName(entry.findFieldByNumber(1)))
          .append(", ")
          .append(typeName(entry.findFieldByNumber(2)))
          .append('>');
    } else {
      if (field.isRepeated()) {
        out.append("repeated ");
      } else if (field.isRequired()) {
        out.append("required ");
      } else if (field.hasPresence()
          && field.getRealContainingOneof() == null
          && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        out.append("optional ");
      }
      out.append(typeName(field));
    }
    out.append(' ').append(field.getName()).append(" = ").append(field.getNumber()).append(";\n");
  }

  private static String typeName(FieldDescriptor field) {
    return switch (field.getType()) {
      case MESSAGE, GROUP -> "." + field.getMessageType().getFullName();
      case ENUM -> "." + field.getEnumType().getFullName();
      default -> field.getType().name().toLowerCase(Locale.ROOT);
    };
  }
}
