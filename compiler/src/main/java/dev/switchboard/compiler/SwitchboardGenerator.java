package dev.switchboard.compiler;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse.Feature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.bundle.Header;

/**
 * The protoc plugin: reads a {@link CodeGeneratorRequest} from standard input and writes a {@link
 * CodeGeneratorResponse} to standard output, with one {@code <Service>Switchboard.java} for each
 * service of each file to generate, in the file's Java package.
 *
 * <p>Run by protoc, once per invocation, in a JVM of its own; arguments are ignored. The plugin
 * takes no parameters ({@code --switchboard_opt}): any is an error. Errors in the request (a
 * parameter, an unknown type, proto names that do not make distinct Java names) are reported in the
 * response's {@code error} field, which protoc prints and fails on; the process itself exits
 * normally. Supports proto2, proto3 (including {@code optional}) and editions up to 2024.
 *
 * @since 0.1
 */
@Header(name = "Main-Class", value = "dev.switchboard.compiler.SwitchboardGenerator")
public final class SwitchboardGenerator {
  private SwitchboardGenerator() {}

  /** Runs the plugin on standard input and output. */
  public static void main(String[] args) throws IOException {
    run(System.in, System.out);
  }

  /** Reads one request from {@code in} and writes the response to {@code out}. */
  static void run(InputStream in, OutputStream out) throws IOException {
    CodeGeneratorResponse response;
    try {
      response = generate(CodeGeneratorRequest.parseFrom(in, extensionRegistry()));
    } catch (InvalidProtocolBufferException e) {
      response = failure("Cannot read the CodeGeneratorRequest: " + e.getMessage());
    }
    response.writeTo(out);
    out.flush();
  }

  /** The extensions to parse a request with: the {@code pb.java} features. */
  static ExtensionRegistry extensionRegistry() {
    // protobuf-java's JavaFeaturesProto fails to initialize unless DescriptorProtos already has:
    // initializing it first resolves DescriptorProtos' features through a half-built extension.
    DescriptorProtos.getDescriptor();
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    JavaFeaturesProto.registerAllExtensions(registry);
    return registry;
  }

  /**
   * Generates the files for {@code request}, or a response with only an error. The request must
   * have been parsed with {@link JavaFeaturesProto}'s extensions registered for edition 2024's
   * {@code nest_in_file_class} to be seen.
   */
  static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    try {
      return generateOrThrow(request);
    } catch (GenerationException e) {
      return failure(e.getMessage());
    } catch (RuntimeException e) {
      // A bug here should still reach the user through protoc, with enough to report it.
      return failure("Internal error in the Switchboard plugin: " + e);
    }
  }

  private static CodeGeneratorResponse generateOrThrow(CodeGeneratorRequest request)
      throws GenerationException {
    if (!request.getParameter().isBlank()) {
      throw new GenerationException(
          "Unknown parameter \""
              + request.getParameter()
              + "\": the Switchboard plugin takes no parameters");
    }
    JavaNameResolver names = new JavaNameResolver(request.getProtoFileList());
    Map<String, FileDescriptorProto> files = new HashMap<>();
    for (FileDescriptorProto file : request.getProtoFileList()) {
      files.put(file.getName(), file);
    }
    CodeGeneratorResponse.Builder response = withFeatures(CodeGeneratorResponse.newBuilder());
    Set<String> paths = new HashSet<>();
    for (String fileName : request.getFileToGenerateList()) {
      FileDescriptorProto file = files.get(fileName);
      if (file == null) {
        throw new GenerationException(fileName + ": not among the request's proto files");
      }
      try {
        for (ServiceModel service : ServiceModel.forFile(file, names)) {
          String path = service.generatedClass().canonicalName().replace('.', '/') + ".java";
          if (!paths.add(path)) {
            throw new GenerationException(
                "Service "
                    + service.fullName()
                    + " generates "
                    + path
                    + ", as another service does");
          }
          String source =
              new ServiceClassWriter(
                      service, names.topLevelClassNames(service.generatedClass().packageName()))
                  .write();
          response.addFileBuilder().setName(path).setContent(source);
        }
      } catch (GenerationException e) {
        throw new GenerationException(fileName + ": " + e.getMessage());
      }
    }
    return response.build();
  }

  private static CodeGeneratorResponse failure(String message) {
    return withFeatures(CodeGeneratorResponse.newBuilder()).setError(message).build();
  }

  private static CodeGeneratorResponse.Builder withFeatures(CodeGeneratorResponse.Builder b) {
    return b.setSupportedFeatures(
            Feature.FEATURE_PROTO3_OPTIONAL_VALUE | Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
        .setMinimumEdition(Edition.EDITION_PROTO2_VALUE)
        .setMaximumEdition(Edition.EDITION_2024_VALUE);
  }
}
