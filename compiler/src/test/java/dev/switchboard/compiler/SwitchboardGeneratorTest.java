package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse.Feature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The plugin protocol and error reporting, on hand-built requests. */
class SwitchboardGeneratorTest {
  private static FileDescriptorProto.Builder echoFile() {
    return FileDescriptorProto.newBuilder()
        .setName("echo/echo.proto")
        .setPackage("echo")
        .setSyntax("proto3")
        .setOptions(
            FileOptions.newBuilder().setJavaPackage("com.example.echo").setJavaMultipleFiles(true))
        .addMessageType(DescriptorProto.newBuilder().setName("Msg"))
        .addService(ServiceDescriptorProto.newBuilder().setName("Echo").addMethod(method("Say")));
  }

  private static MethodDescriptorProto.Builder method(String name) {
    return MethodDescriptorProto.newBuilder()
        .setName(name)
        .setInputType(".echo.Msg")
        .setOutputType(".echo.Msg");
  }

  private static CodeGeneratorRequest request(FileDescriptorProto file) {
    return CodeGeneratorRequest.newBuilder()
        .addFileToGenerate(file.getName())
        .addProtoFile(file)
        .build();
  }

  @Test
  void generatesOneFilePerServiceInTheJavaPackage() {
    CodeGeneratorResponse response = SwitchboardGenerator.generate(request(echoFile().build()));

    assertFalse(response.hasError(), response.getError());
    assertEquals(1, response.getFileCount());
    assertEquals("com/example/echo/EchoSwitchboard.java", response.getFile(0).getName());
    String source = response.getFile(0).getContent();
    assertTrue(
        source.startsWith("// " + ServiceClassWriter.HEADER + "\n// Source: echo/echo.proto\n"));
    assertTrue(source.contains("public final class EchoSwitchboard {"));
    assertTrue(source.contains("METHOD_SAY"));
  }

  @Test
  void bindServiceSetsTheServiceDescriptorAsSchemaDescriptor() {
    String source =
        SwitchboardGenerator.generate(request(echoFile().build())).getFile(0).getContent();

    assertTrue(
        source.contains(".setSchemaDescriptor(EchoOuterClass.getDescriptor()"),
        "the outer class of echo/echo.proto gives the descriptor");
    assertTrue(source.contains(".findServiceByName(\"Echo\"))"), source);
  }

  @Test
  void liteRuntimeFileHasNoSchemaDescriptor() {
    FileDescriptorProto.Builder file = echoFile();
    file.getOptionsBuilder().setOptimizeFor(FileOptions.OptimizeMode.LITE_RUNTIME);
    String source = SwitchboardGenerator.generate(request(file.build())).getFile(0).getContent();

    assertFalse(source.contains("setSchemaDescriptor"), "lite classes have no descriptors");
  }

  @Test
  void declaresProto3OptionalAndEditionsUpTo2024() {
    CodeGeneratorResponse response = SwitchboardGenerator.generate(request(echoFile().build()));

    assertEquals(
        Feature.FEATURE_PROTO3_OPTIONAL_VALUE | Feature.FEATURE_SUPPORTS_EDITIONS_VALUE,
        response.getSupportedFeatures());
    assertEquals(Edition.EDITION_PROTO2_VALUE, response.getMinimumEdition());
    assertEquals(Edition.EDITION_2024_VALUE, response.getMaximumEdition());
  }

  @Test
  void fileWithoutServicesGeneratesNothing() {
    CodeGeneratorResponse response =
        SwitchboardGenerator.generate(request(echoFile().clearService().build()));

    assertFalse(response.hasError(), response.getError());
    assertEquals(0, response.getFileCount());
  }

  @Test
  void parameterIsReportedAsError() {
    CodeGeneratorResponse response =
        SwitchboardGenerator.generate(
            request(echoFile().build()).toBuilder().setParameter("lite").build());

    assertEquals(
        "Unknown parameter \"lite\": the Switchboard plugin takes no parameters",
        response.getError());
    assertEquals(0, response.getFileCount());
  }

  @Test
  void methodsMappingToOneJavaNameAreReportedAsError() {
    FileDescriptorProto file =
        echoFile()
            .setService(
                0,
                ServiceDescriptorProto.newBuilder()
                    .setName("Echo")
                    .addMethod(method("GetItem"))
                    .addMethod(method("get_item")))
            .build();

    CodeGeneratorResponse response = SwitchboardGenerator.generate(request(file));

    assertEquals(
        "echo/echo.proto: Methods GetItem and get_item of service echo.Echo both map to "
            + "the Java name getItem; rename one of them",
        response.getError());
  }

  @Test
  void generatedClassClashingWithAMessageClassIsReportedAsError() {
    FileDescriptorProto file =
        echoFile().addMessageType(DescriptorProto.newBuilder().setName("EchoSwitchboard")).build();

    CodeGeneratorResponse response = SwitchboardGenerator.generate(request(file));

    assertTrue(
        response.getError().contains("com.example.echo.EchoSwitchboard"), response.getError());
  }

  @Test
  void unknownMessageTypeIsReportedAsError() {
    FileDescriptorProto file =
        echoFile()
            .setService(
                0,
                ServiceDescriptorProto.newBuilder()
                    .setName("Echo")
                    .addMethod(method("Say").setOutputType(".other.Missing")))
            .build();

    CodeGeneratorResponse response = SwitchboardGenerator.generate(request(file));

    assertTrue(
        response.getError().startsWith("echo/echo.proto: Unknown message type " + ".other.Missing"),
        response.getError());
  }

  @Test
  void fileToGenerateMissingFromProtoFilesIsReportedAsError() {
    CodeGeneratorResponse response =
        SwitchboardGenerator.generate(
            request(echoFile().build()).toBuilder().addFileToGenerate("other.proto").build());

    assertEquals("other.proto: not among the request's proto files", response.getError());
  }

  @Test
  void runReadsTheRequestAndWritesTheResponse() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    SwitchboardGenerator.run(
        new ByteArrayInputStream(request(echoFile().build()).toByteArray()), out);

    CodeGeneratorResponse response = CodeGeneratorResponse.parseFrom(out.toByteArray());
    assertFalse(response.hasError(), response.getError());
    assertEquals(1, response.getFileCount());
  }

  @Test
  void unreadableRequestIsReportedAsError() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    SwitchboardGenerator.run(
        new ByteArrayInputStream("not a request".getBytes(StandardCharsets.UTF_8)), out);

    CodeGeneratorResponse response = CodeGeneratorResponse.parseFrom(out.toByteArray());
    assertTrue(
        response.getError().startsWith("Cannot read the CodeGeneratorRequest"),
        response.getError());
  }
}
