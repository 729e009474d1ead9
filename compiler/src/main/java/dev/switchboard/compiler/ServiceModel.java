package dev.switchboard.compiler;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions.OptimizeMode;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A proto service in Java terms: the class to generate, its methods with their Java names and
 * message classes, and the comments to carry over. Immutable.
 *
 * @param sourceFile the {@code .proto} file that defines the service, as protoc names it
 * @param fullName the service's full proto name, {@code package.Service}
 * @param name the service's proto name, {@code Service}
 * @param generatedClass the class generated for it, {@code <Service>Switchboard}
 * @param fileClass the outer class protoc generates for {@code sourceFile}, whose {@code
 *     getDescriptor()} the generated code calls to give the service its schema descriptor; {@code
 *     null} for a file with {@code optimize_for = LITE_RUNTIME}, whose classes have no descriptors
 * @param comment the service's proto comment as Javadoc lines, empty when it has none
 * @param deprecated whether the service has {@code option deprecated = true}
 * @param methods the methods in proto order
 */
record ServiceModel(
    String sourceFile,
    String fullName,
    String name,
    JavaTypeName generatedClass,
    JavaTypeName fileClass,
    List<String> comment,
    boolean deprecated,
    List<Method> methods) {
  /** Appended to the service name to name the generated class. */
  static final String CLASS_SUFFIX = "Switchboard";

  // Field numbers in descriptor.proto, for SourceCodeInfo paths.
  private static final int FILE_SERVICE = 6;
  private static final int SERVICE_METHOD = 2;

  ServiceModel {
    comment = List.copyOf(comment);
    methods = List.copyOf(methods);
  }

  /** The four kinds of RPC; the names are those of {@code dev.switchboard.api.MethodType}. */
  enum Kind {
    UNARY,
    CLIENT_STREAMING,
    SERVER_STREAMING,
    BIDI_STREAMING;

    static Kind of(boolean clientStreaming, boolean serverStreaming) {
      if (clientStreaming) {
        return serverStreaming ? BIDI_STREAMING : CLIENT_STREAMING;
      }
      return serverStreaming ? SERVER_STREAMING : UNARY;
    }

    /** Whether the client sends exactly one request. */
    boolean singleRequest() {
      return this == UNARY || this == SERVER_STREAMING;
    }
  }

  /**
   * One RPC.
   *
   * @param name the proto method name, {@code UnaryCall}
   * @param javaName the Java method name in stubs and the base class, {@code unaryCall}
   * @param constantName the descriptor constant, {@code METHOD_UNARY_CALL}
   * @param kind unary or streaming
   * @param requestType the request message class
   * @param responseType the response message class
   * @param idempotent {@code idempotency_level} is {@code IDEMPOTENT} or {@code NO_SIDE_EFFECTS}
   * @param safe {@code idempotency_level} is {@code NO_SIDE_EFFECTS}
   * @param deprecated whether the method has {@code option deprecated = true}
   * @param comment the proto comment as Javadoc lines, empty when it has none
   */
  record Method(
      String name,
      String javaName,
      String constantName,
      Kind kind,
      JavaTypeName requestType,
      JavaTypeName responseType,
      boolean idempotent,
      boolean safe,
      boolean deprecated,
      List<String> comment) {
    Method {
      comment = List.copyOf(comment);
    }
  }

  /** The simple name of the async stub class. */
  String stubName() {
    return name + "Stub";
  }

  String blockingStubName() {
    return name + "BlockingStub";
  }

  String futureStubName() {
    return name + "FutureStub";
  }

  String implBaseName() {
    return name + "ImplBase";
  }

  /** The simple names the generated file declares. */
  List<String> declaredNames() {
    return List.of(
        generatedClass.topLevelName(),
        stubName(),
        blockingStubName(),
        futureStubName(),
        implBaseName());
  }

  /**
   * Describes every service of {@code file}.
   *
   * @throws GenerationException when a service's names do not make distinct Java names
   */
  static List<ServiceModel> forFile(FileDescriptorProto file, JavaNameResolver names)
      throws GenerationException {
    Map<List<Integer>, String> comments = comments(file);
    String javaPackage = JavaNameResolver.javaPackage(file);
    String protoPrefix = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
    JavaTypeName fileClass =
        file.getOptions().getOptimizeFor() == OptimizeMode.LITE_RUNTIME
            ? null
            : JavaTypeName.of(javaPackage, JavaNameResolver.outerClassName(file));
    List<ServiceModel> services = new ArrayList<>();
    for (int s = 0; s < file.getServiceCount(); s++) {
      ServiceDescriptorProto service = file.getService(s);
      String fullName = protoPrefix + service.getName();
      JavaTypeName generatedClass = JavaTypeName.of(javaPackage, service.getName() + CLASS_SUFFIX);
      if (names.topLevelClassNames(javaPackage).contains(generatedClass.topLevelName())) {
        throw new GenerationException(
            "Service "
                + fullName
                + " would generate class "
                + generatedClass
                + ", which clashes with a class protoc generates for the messages");
      }
      List<Method> methods = new ArrayList<>();
      Map<String, String> javaNames = new HashMap<>();
      for (int m = 0; m < service.getMethodCount(); m++) {
        MethodDescriptorProto method = service.getMethod(m);
        Method model =
            method(
                method,
                names,
                comments.getOrDefault(List.of(FILE_SERVICE, s, SERVICE_METHOD, m), ""));
        claim(javaNames, model.javaName(), fullName, method.getName());
        claim(javaNames, model.constantName(), fullName, method.getName());
        methods.add(model);
      }
      services.add(
          new ServiceModel(
              file.getName(),
              fullName,
              service.getName(),
              generatedClass,
              fileClass,
              Javadoc.preformatted(comments.getOrDefault(List.of(FILE_SERVICE, s), "")),
              service.getOptions().getDeprecated(),
              methods));
    }
    return services;
  }

  private static Method method(MethodDescriptorProto method, JavaNameResolver names, String comment)
      throws GenerationException {
    IdempotencyLevel level = method.getOptions().getIdempotencyLevel();
    return new Method(
        method.getName(),
        JavaIdentifiers.methodName(method.getName()),
        JavaIdentifiers.methodConstantName(method.getName()),
        Kind.of(method.getClientStreaming(), method.getServerStreaming()),
        names.messageType(method.getInputType()),
        names.messageType(method.getOutputType()),
        level == IdempotencyLevel.IDEMPOTENT || level == IdempotencyLevel.NO_SIDE_EFFECTS,
        level == IdempotencyLevel.NO_SIDE_EFFECTS,
        method.getOptions().getDeprecated(),
        Javadoc.preformatted(comment));
  }

  /** Records that {@code method} uses {@code javaName}; fails when another method did. */
  private static void claim(
      Map<String, String> javaNames, String javaName, String service, String method)
      throws GenerationException {
    String previous = javaNames.putIfAbsent(javaName, method);
    if (previous != null) {
      throw new GenerationException(
          "Methods "
              + previous
              + " and "
              + method
              + " of service "
              + service
              + " both map to the Java name "
              + javaName
              + "; rename one of them");
    }
  }

  /** The comment of each service and method by its SourceCodeInfo path: leading, else trailing. */
  private static Map<List<Integer>, String> comments(FileDescriptorProto file) {
    Map<List<Integer>, String> comments = new HashMap<>();
    for (Location location : file.getSourceCodeInfo().getLocationList()) {
      List<Integer> path = location.getPathList();
      boolean service = path.size() == 2 && path.get(0) == FILE_SERVICE;
      boolean method =
          path.size() == 4 && path.get(0) == FILE_SERVICE && path.get(2) == SERVICE_METHOD;
      if (service || method) {
        String text =
            location.hasLeadingComments()
                ? location.getLeadingComments()
                : location.getTrailingComments();
        if (!text.isBlank()) {
          comments.putIfAbsent(List.copyOf(path), text);
        }
      }
    }
    return comments;
  }
}
