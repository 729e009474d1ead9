package dev.switchboard.compiler;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FeatureSet;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures.NestInFileClassFeature.NestInFileClass;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps proto messages to the Java classes protoc's {@code --java_out} generates for them, for a
 * request's files. Immutable once built.
 *
 * <p>The rules are protoc's: the Java package is {@code java_package}, else the proto package; the
 * file's outer class is {@code java_outer_classname}, else the camel-cased file name (with {@code
 * OuterClass} appended when a message, enum or service of the file has that exact name; from
 * edition 2024 on, {@code Proto} appended instead and no conflict check). A top-level message is a
 * class of its own with {@code java_multiple_files} (from edition 2024 on, unless the {@code
 * pb.java} feature {@code nest_in_file_class} is {@code YES}), else nested in the outer class;
 * nested messages are nested in their parents.
 *
 * <p>Java features are read from the options, so the request must have been parsed with {@link
 * JavaFeaturesProto#registerAllExtensions} (see {@link SwitchboardGenerator}).
 */
final class JavaNameResolver {
  static {
    // protobuf-java's JavaFeaturesProto fails to initialize unless DescriptorProtos already has.
    DescriptorProtos.getDescriptor();
  }

  private final Map<String, JavaTypeName> messagesByProtoName = new HashMap<>();
  private final Map<String, Set<String>> topLevelClassesByPackage = new HashMap<>();

  /** Indexes {@code files}: every file a request names, imports included. */
  JavaNameResolver(List<FileDescriptorProto> files) {
    for (FileDescriptorProto file : files) {
      index(file);
    }
  }

  /** The Java package of {@code file}'s generated classes, empty for the unnamed package. */
  static String javaPackage(FileDescriptorProto file) {
    return file.getOptions().hasJavaPackage()
        ? file.getOptions().getJavaPackage()
        : file.getPackage();
  }

  /** The simple name of {@code file}'s outer class. */
  static String outerClassName(FileDescriptorProto file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String name = JavaIdentifiers.fileClassName(file.getName());
    if (isEdition2024OrLater(file)) {
      return name + "Proto";
    }
    return definesType(file, name) ? name + "OuterClass" : name;
  }

  /**
   * The Java class of a message.
   *
   * @param protoTypeName a fully qualified proto name as descriptors hold it: {@code .pkg.Msg}
   * @throws GenerationException when no indexed file defines it
   */
  JavaTypeName messageType(String protoTypeName) throws GenerationException {
    JavaTypeName type = messagesByProtoName.get(protoTypeName);
    if (type == null) {
      throw new GenerationException(
          "Unknown message type "
              + protoTypeName
              + ": the request does not contain the file defining it");
    }
    return type;
  }

  /**
   * The simple names of the top-level classes protoc generates in {@code javaPackage} for the
   * indexed files. A class of the same name in that package shadows {@code java.lang} types.
   */
  Set<String> topLevelClassNames(String javaPackage) {
    return topLevelClassesByPackage.getOrDefault(javaPackage, Set.of());
  }

  private void index(FileDescriptorProto file) {
    String javaPackage = javaPackage(file);
    JavaTypeName outer = JavaTypeName.of(javaPackage, outerClassName(file));
    Set<String> topLevel =
        topLevelClassesByPackage.computeIfAbsent(javaPackage, p -> new TreeSet<>());
    topLevel.add(outer.topLevelName());
    String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
    for (DescriptorProto message : file.getMessageTypeList()) {
      JavaTypeName type;
      if (nestedInFileClass(file, message.getOptions().getFeatures())) {
        type = outer.nested(message.getName());
      } else {
        type = JavaTypeName.of(javaPackage, message.getName());
        topLevel.add(message.getName());
        topLevel.add(message.getName() + "OrBuilder");
      }
      indexMessage(protoPrefix + message.getName(), type, message);
    }
    for (EnumDescriptorProto enumType : file.getEnumTypeList()) {
      if (!nestedInFileClass(file, enumType.getOptions().getFeatures())) {
        topLevel.add(enumType.getName());
      }
    }
  }

  private void indexMessage(String protoName, JavaTypeName type, DescriptorProto message) {
    messagesByProtoName.put(protoName, type);
    for (DescriptorProto nested : message.getNestedTypeList()) {
      indexMessage(protoName + "." + nested.getName(), type.nested(nested.getName()), nested);
    }
  }

  /** Whether a top-level type with these features is nested in the file's outer class. */
  private static boolean nestedInFileClass(FileDescriptorProto file, FeatureSet typeFeatures) {
    if (!isEdition2024OrLater(file)) {
      return !file.getOptions().getJavaMultipleFiles();
    }
    NestInFileClass nest = NestInFileClass.NO; // the edition 2024 default
    FeatureSet fileFeatures = file.getOptions().getFeatures();
    if (fileFeatures.getExtension(JavaFeaturesProto.java_).hasNestInFileClass()) {
      nest = fileFeatures.getExtension(JavaFeaturesProto.java_).getNestInFileClass();
    }
    if (typeFeatures.getExtension(JavaFeaturesProto.java_).hasNestInFileClass()) {
      nest = typeFeatures.getExtension(JavaFeaturesProto.java_).getNestInFileClass();
    }
    return nest == NestInFileClass.YES;
  }

  private static boolean isEdition2024OrLater(FileDescriptorProto file) {
    return "editions".equals(file.getSyntax())
        && file.getEdition().getNumber() >= Edition.EDITION_2024.getNumber();
  }

  /** Whether a message (at any depth), enum or service of {@code file} is named {@code name}. */
  private static boolean definesType(FileDescriptorProto file, String name) {
    return file.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name))
        || file.getServiceList().stream().anyMatch(s -> s.getName().equals(name))
        || file.getMessageTypeList().stream().anyMatch(m -> definesType(m, name));
  }

  private static boolean definesType(DescriptorProto message, String name) {
    return message.getName().equals(name)
        || message.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name))
        || message.getNestedTypeList().stream().anyMatch(m -> definesType(m, name));
  }
}
