package dev.switchboard.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints a service's server base class, nested in its generated class: one overridable method per
 * RPC that ends the call with {@code UNIMPLEMENTED}, and a final {@code bindService()} (of {@code
 * BindableService}, so that an instance can be an OSGi whiteboard service) that binds each method
 * to its {@code ServerCalls} handler.
 */
final class ImplBaseWriter {
  private final ServiceModel service;
  private final ImportPlan plan;
  private final SourceWriter out;

  ImplBaseWriter(ServiceModel service, ImportPlan plan, SourceWriter out) {
    this.service = service;
    this.plan = plan;
    this.out = out;
  }

  void write() {
    String name = service.implBaseName();
    out.javadoc(
        List.of(
            "The base class for implementations of the {@code "
                + service.fullName()
                + "} service: override the methods it serves and register {@link #bindService()} with a "
                + "server. Methods not overridden end their calls with {@code UNIMPLEMENTED}.",
            "",
            "<p>Methods are called on the server's executor, one at a time per call; a method may "
                + "throw {@code StatusRuntimeException} to end its call with that status."));
    out.open(
        "public abstract static class " + name + " implements " + type(ApiTypes.BINDABLE_SERVICE));
    out.javadoc(List.of("Constructor for subclasses."));
    out.line("protected " + name + "() {}");
    for (ServiceModel.Method method : service.methods()) {
      out.blankLine();
      writeMethod(method);
    }
    out.blankLine();
    writeBindService();
    out.close();
  }

  private void writeMethod(ServiceModel.Method method) {
    List<String> doc = new ArrayList<>();
    doc.add(
        "Serves {@code "
            + method.name()
            + "}. Unless overridden, ends the call with {@code "
            + "UNIMPLEMENTED}.");
    boolean singleResponse =
        method.kind() == ServiceModel.Kind.UNARY
            || method.kind() == ServiceModel.Kind.CLIENT_STREAMING;
    String responseTag =
        singleResponse
            ? "@param responseObserver takes the response then {@code onCompleted}, or {@code "
                + "onError}"
            : "@param responseObserver takes any number of responses, then {@code onCompleted} or "
                + "{@code onError}";
    List<String> tags =
        method.kind().singleRequest()
            ? List.of("@param request the request message", responseTag)
            : List.of(responseTag, "@return the observer for the requests");
    ServiceClassWriter.appendComment(doc, method.comment(), tags, method.deprecated());
    out.javadoc(doc);
    if (method.deprecated()) {
      out.line("@" + type(ApiTypes.DEPRECATED));
    }
    String responseObserver = observer(method.responseType()) + " responseObserver";
    String serverCalls = type(ApiTypes.SERVER_CALLS);
    if (method.kind().singleRequest()) {
      out.openCall(
          "public void " + method.javaName(),
          List.of(type(method.requestType()) + " request", responseObserver));
      out.call(
          serverCalls + ".asyncUnimplementedUnaryCall",
          List.of(method.constantName(), "responseObserver"),
          ";");
    } else {
      out.openCall(
          "public " + observer(method.requestType()) + " " + method.javaName(),
          List.of(responseObserver));
      out.call(
          "return " + serverCalls + ".asyncUnimplementedStreamingCall",
          List.of(method.constantName(), "responseObserver"),
          ";");
    }
    out.close();
  }

  private void writeBindService() {
    out.javadoc(
        List.of(
            "Binds every method of the service to this object, for registering " + "with a server.",
            "",
            "@return the service definition, for {@code " + "ServerOptions.Builder.addService}"));
    out.line("@" + type(ApiTypes.OVERRIDE));
    out.open("public final " + type(ApiTypes.SERVICE_DEFINITION) + " bindService()");
    out.line("return " + type(ApiTypes.SERVICE_DEFINITION) + ".newBuilder(SERVICE_NAME)");
    out.continued(
        () -> {
          for (ServiceModel.Method method : service.methods()) {
            String handler =
                type(ApiTypes.SERVER_CALLS)
                    + "."
                    + handlerFactory(method.kind())
                    + "(this::"
                    + method.javaName()
                    + ")";
            out.call(".addMethod", List.of(method.constantName(), handler), "");
          }
          if (service.fileClass() != null) {
            out.line(
                ".setSchemaDescriptor("
                    + type(service.fileClass())
                    + ".getDescriptor().findServiceByName(\""
                    + service.name()
                    + "\"))");
          }
          out.line(".build();");
        });
    out.close();
  }

  private static String handlerFactory(ServiceModel.Kind kind) {
    return switch (kind) {
      case UNARY -> "asyncUnaryCall";
      case SERVER_STREAMING -> "asyncServerStreamingCall";
      case CLIENT_STREAMING -> "asyncClientStreamingCall";
      case BIDI_STREAMING -> "asyncBidiStreamingCall";
    };
  }

  private String observer(JavaTypeName message) {
    return type(ApiTypes.STREAM_OBSERVER) + "<" + type(message) + ">";
  }

  private String type(JavaTypeName type) {
    return plan.spell(type);
  }
}
