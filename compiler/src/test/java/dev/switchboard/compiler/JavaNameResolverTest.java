package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FeatureSet;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures.NestInFileClassFeature.NestInFileClass;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The naming rules, on hand-built descriptors; the tests compiling generated code cross-check. */
class JavaNameResolverTest {
  static {
    // Before JavaFeaturesProto is touched: see SwitchboardGenerator.extensionRegistry().
    DescriptorProtos.getDescriptor();
  }

  private static FileDescriptorProto.Builder file(String name, String pkg) {
    return FileDescriptorProto.newBuilder().setName(name).setPackage(pkg).setSyntax("proto3");
  }

  private static DescriptorProto message(String name, DescriptorProto... nested) {
    return DescriptorProto.newBuilder().setName(name).addAllNestedType(List.of(nested)).build();
  }

  private static JavaTypeName resolve(FileDescriptorProto file, String protoName)
      throws GenerationException {
    return new JavaNameResolver(List.of(file)).messageType(protoName);
  }

  @Test
  void javaPackageComesFromTheOptionElseTheProtoPackage() {
    assertEquals("a.b", JavaNameResolver.javaPackage(file("x.proto", "a.b").build()));
    assertEquals(
        "com.example",
        JavaNameResolver.javaPackage(
            file("x.proto", "a.b")
                .setOptions(FileOptions.newBuilder().setJavaPackage("com.example"))
                .build()));
    assertEquals("", JavaNameResolver.javaPackage(file("x.proto", "").build()));
  }

  @Test
  void outerClassNameIsTheCamelCasedFileName() {
    assertEquals(
        "FooBar",
        JavaNameResolver.outerClassName(
            file("dir/foo_bar.proto", "p").addMessageType(message("Request")).build()));
  }

  @Test
  void outerClassNameGetsOuterClassSuffixWhenAnyTypeHasItsName() {
    assertEquals(
        "EchoOuterClass",
        JavaNameResolver.outerClassName(
            file("echo.proto", "p").addMessageType(message("Echo")).build()));
    assertEquals(
        "EchoOuterClass",
        JavaNameResolver.outerClassName(
            file("echo.proto", "p").addMessageType(message("Other", message("Echo"))).build()));
    assertEquals(
        "EchoOuterClass",
        JavaNameResolver.outerClassName(
            file("echo.proto", "p")
                .addEnumType(EnumDescriptorProto.newBuilder().setName("Echo"))
                .build()));
    assertEquals(
        "EchoOuterClass",
        JavaNameResolver.outerClassName(
            file("echo.proto", "p")
                .addService(ServiceDescriptorProto.newBuilder().setName("Echo"))
                .build()));
    assertEquals(
        "EchoOuterClass",
        JavaNameResolver.outerClassName(
            file("echo.proto", "p")
                .addMessageType(
                    DescriptorProto.newBuilder()
                        .setName("Other")
                        .addEnumType(EnumDescriptorProto.newBuilder().setName("Echo")))
                .build()));
    // Only an exact match conflicts.
    assertEquals(
        "Echo",
        JavaNameResolver.outerClassName(
            file("echo.proto", "p").addMessageType(message("ECHO")).build()));
  }

  @Test
  void javaOuterClassnameWinsWithoutConflictCheck() {
    assertEquals(
        "Echo",
        JavaNameResolver.outerClassName(
            file("echo.proto", "p")
                .setOptions(FileOptions.newBuilder().setJavaOuterClassname("Echo"))
                .addMessageType(message("Other"))
                .build()));
  }

  @Test
  void messagesNestInTheOuterClassUnlessMultipleFiles() throws Exception {
    FileDescriptorProto single =
        file("echo.proto", "p")
            .addMessageType(message("Req", message("Inner", message("Deep"))))
            .build();
    assertEquals("p.Echo.Req", resolve(single, ".p.Req").canonicalName());
    assertEquals("p.Echo.Req.Inner.Deep", resolve(single, ".p.Req.Inner.Deep").canonicalName());

    FileDescriptorProto multiple =
        single.toBuilder().setOptions(FileOptions.newBuilder().setJavaMultipleFiles(true)).build();
    assertEquals("p.Req", resolve(multiple, ".p.Req").canonicalName());
    assertEquals(
        List.of("Req", "Inner", "Deep"), resolve(multiple, ".p.Req.Inner.Deep").simpleNames());
  }

  @Test
  void messagesWithoutPackageAreInTheUnnamedPackage() throws Exception {
    FileDescriptorProto file = file("knock.proto", "").addMessageType(message("Knock")).build();
    JavaTypeName type = resolve(file, ".Knock");
    assertEquals("", type.packageName());
    assertEquals("KnockOuterClass.Knock", type.canonicalName());
  }

  @Test
  void edition2024AddsProtoSuffixAndMakesMessagesTopLevel() throws Exception {
    MessageOptions nestYes =
        MessageOptions.newBuilder()
            .setFeatures(
                FeatureSet.newBuilder()
                    .setExtension(
                        JavaFeaturesProto.java_,
                        JavaFeatures.newBuilder().setNestInFileClass(NestInFileClass.YES).build()))
            .build();
    FileDescriptorProto file =
        file("oracle.proto", "p")
            .setSyntax("editions")
            .setEdition(Edition.EDITION_2024)
            .addMessageType(message("Oracle"))
            .addMessageType(DescriptorProto.newBuilder().setName("Nested").setOptions(nestYes))
            .build();
    assertEquals("OracleProto", JavaNameResolver.outerClassName(file));
    assertEquals("p.Oracle", resolve(file, ".p.Oracle").canonicalName());
    assertEquals("p.OracleProto.Nested", resolve(file, ".p.Nested").canonicalName());
  }

  @Test
  void edition2023FollowsJavaMultipleFiles() throws Exception {
    FileDescriptorProto file =
        file("oracle.proto", "p")
            .setSyntax("editions")
            .setEdition(Edition.EDITION_2023)
            .addMessageType(message("Question"))
            .build();
    assertEquals("Oracle", JavaNameResolver.outerClassName(file));
    assertEquals("p.Oracle.Question", resolve(file, ".p.Question").canonicalName());
  }

  @Test
  void topLevelClassNamesListWhatProtocGeneratesInThePackage() {
    FileDescriptorProto file =
        file("echo.proto", "p")
            .setOptions(FileOptions.newBuilder().setJavaMultipleFiles(true))
            .addMessageType(message("Req"))
            .addEnumType(EnumDescriptorProto.newBuilder().setName("Color"))
            .build();
    assertEquals(
        Set.of("Echo", "Req", "ReqOrBuilder", "Color"),
        new JavaNameResolver(List.of(file)).topLevelClassNames("p"));
  }

  @Test
  void unknownTypeIsAGenerationError() {
    FileDescriptorProto file = file("echo.proto", "p").build();
    assertThrows(GenerationException.class, () -> resolve(file, ".p.Missing"));
  }
}
