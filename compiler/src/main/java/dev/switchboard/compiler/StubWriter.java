package dev.switchboard.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints a service's three client stubs, nested in its generated class: async ({@code
 * StreamObserver}s), blocking (unary and server-streaming methods only) and future (unary methods
 * only). Each is an immutable value over a {@code Channel} and {@code CallOptions}, with {@code
 * with*} methods that return a changed copy.
 */
final class StubWriter {
  private static final String REQUEST_PARAM = "@param request the request message";
  private final ServiceModel service;
  private final ImportPlan plan;
  private final SourceWriter out;

  StubWriter(ServiceModel service, ImportPlan plan, SourceWriter out) {
    this.service = service;
    this.plan = plan;
    this.out = out;
  }

  void writeAsyncStub() {
    String name = service.stubName();
    open(
        name,
        "An async stub for the {@code "
            + service.fullName()
            + "} service: its methods "
            + "return at once and report to a {@code StreamObserver}, on the call's executor.",
        "newStub");
    for (ServiceModel.Method method : service.methods()) {
      out.blankLine();
      String call = "channel.newStream(" + method.constantName() + ", callOptions)";
      String observer = observer(method.responseType()) + " responseObserver";
      String clientCalls = type(ApiTypes.CLIENT_CALLS);
      if (method.kind().singleRequest()) {
        boolean unary = method.kind() == ServiceModel.Kind.UNARY;
        javadoc(
            method,
            "Calls {@code "
                + method.name()
                + "}: sends {@code request}; "
                + (unary ? "the response goes" : "the responses go")
                + " to {@code "
                + "responseObserver}.",
            List.of(
                REQUEST_PARAM,
                unary
                    ? "@param responseObserver gets the response then {@code onCompleted}, or {@code "
                        + "onError}"
                    : "@param responseObserver gets each response, then {@code onCompleted} or "
                        + "{@code onError}"));
        signature("void", method, List.of(type(method.requestType()) + " request", observer));
        out.call(
            clientCalls + (unary ? ".asyncUnaryCall" : ".asyncServerStreamingCall"),
            List.of(call, "request", "responseObserver"),
            ";");
      } else {
        boolean bidi = method.kind() == ServiceModel.Kind.BIDI_STREAMING;
        javadoc(
            method,
            "Calls {@code "
                + method.name()
                + "}: returns the observer to send "
                + "requests to, whose {@code onCompleted} ends them; "
                + (bidi ? "the responses go" : "the response goes")
                + " to {@code "
                + "responseObserver}.",
            List.of(
                bidi
                    ? "@param responseObserver gets each response, then {@code onCompleted} or "
                        + "{@code onError}"
                    : "@param responseObserver gets the response then {@code onCompleted}, or {@code "
                        + "onError}",
                "@return the observer for the requests; {@code onError} cancels the call"));
        signature(observer(method.requestType()), method, List.of(observer));
        out.call(
            "return "
                + clientCalls
                + (bidi ? ".asyncBidiStreamingCall" : ".asyncClientStreamingCall"),
            List.of(call, "responseObserver"),
            ";");
      }
      out.close();
    }
    out.close();
  }

  void writeBlockingStub() {
    String name = service.blockingStubName();
    open(
        name,
        "A blocking stub for the {@code "
            + service.fullName()
            + "} service: its "
            + "methods wait for the response, running the call's callbacks on the calling thread. "
            + "Failures throw {@code StatusRuntimeException}. Has no client- or bidi-streaming "
            + "methods.",
        "newBlockingStub");
    for (ServiceModel.Method method : service.methods()) {
      if (!method.kind().singleRequest()) {
        continue;
      }
      out.blankLine();
      String clientCalls = type(ApiTypes.CLIENT_CALLS);
      List<String> args = List.of("channel", method.constantName(), "callOptions", "request");
      List<String> params = List.of(type(method.requestType()) + " request");
      if (method.kind() == ServiceModel.Kind.UNARY) {
        javadoc(
            method,
            "Calls {@code " + method.name() + "} and waits for its response.",
            List.of(REQUEST_PARAM, "@return the response"));
        signature(type(method.responseType()), method, params);
        out.call("return " + clientCalls + ".blockingUnaryCall", args, ";");
      } else {
        javadoc(
            method,
            "Calls {@code "
                + method.name()
                + "} and returns its responses as an "
                + "iterator that blocks for each; iterate to the end, or the call stays open.",
            List.of(REQUEST_PARAM, "@return the responses, for one thread at a time"));
        signature(
            type(ApiTypes.ITERATOR) + "<" + type(method.responseType()) + ">", method, params);
        out.call("return " + clientCalls + ".blockingServerStreamingCall", args, ";");
      }
      out.close();
    }
    out.close();
  }

  void writeFutureStub() {
    String name = service.futureStubName();
    open(
        name,
        "A future stub for the {@code "
            + service.fullName()
            + "} service: its methods "
            + "return a future of the response; cancelling it cancels the call. Has unary methods "
            + "only.",
        "newFutureStub");
    for (ServiceModel.Method method : service.methods()) {
      if (method.kind() != ServiceModel.Kind.UNARY) {
        continue;
      }
      out.blankLine();
      javadoc(
          method,
          "Calls {@code "
              + method.name()
              + "}; the future completes with its "
              + "response, or with a {@code StatusRuntimeException}.",
          List.of(REQUEST_PARAM, "@return the response's future; cancelling it cancels the call"));
      signature(
          type(ApiTypes.COMPLETABLE_FUTURE) + "<" + type(method.responseType()) + ">",
          method,
          List.of(type(method.requestType()) + " request"));
      out.call(
          "return " + type(ApiTypes.CLIENT_CALLS) + ".futureUnaryCall",
          List.of("channel.newStream(" + method.constantName() + ", callOptions)", "request"),
          ";");
      out.close();
    }
    out.close();
  }

  /** Opens the stub class and writes its fields, constructor and {@code with*} methods. */
  private void open(String name, String summary, String factory) {
    String channel = type(ApiTypes.CHANNEL);
    String callOptions = type(ApiTypes.CALL_OPTIONS);
    String objects = type(ApiTypes.OBJECTS);
    out.javadoc(
        List.of(
            summary,
            "",
            "<p>Immutable and thread-safe. Create one with {@link "
                + service.generatedClass().topLevelName()
                + "#"
                + factory
                + "}."));
    out.open("public static final class " + name);
    out.line("private final " + channel + " channel;");
    out.line("private final " + callOptions + " callOptions;");
    out.blankLine();
    out.open("private " + name + "(" + channel + " channel, " + callOptions + " callOptions)");
    out.line("this.channel = " + objects + ".requireNonNull(channel, \"channel\");");
    out.line("this.callOptions = " + objects + ".requireNonNull(callOptions, \"callOptions\");");
    out.close();

    withMethod(
        name,
        "whose calls use {@code callOptions}",
        "withCallOptions",
        callOptions + " callOptions",
        "callOptions",
        List.of("@param callOptions the options of the new stub's calls"));
    withMethod(
        name,
        "whose calls have a deadline {@code duration} from now",
        "withDeadlineAfter",
        "long duration, " + type(ApiTypes.TIME_UNIT) + " unit",
        "callOptions.withDeadlineAfter(duration, unit)",
        List.of(
            "@param duration how long from now, measured when this method is called",
            "@param unit the unit of {@code duration}"));
    withMethod(
        name,
        "whose calls wait for the channel to be ready instead of failing fast",
        "withWaitForReady",
        "",
        "callOptions.withWaitForReady()",
        List.of());
    withMethod(
        name,
        "whose calls compress their messages with {@code compressorName}",
        "withCompression",
        type(ApiTypes.STRING) + " compressorName",
        "callOptions.withCompression(compressorName)",
        List.of(
            "@param compressorName a compressor registered with the channel, such as "
                + "{@code \"gzip\"}"));
    withMethod(
        name,
        "whose calls carry {@code credentials}' metadata (a bearer token, for instance)",
        "withCallCredentials",
        type(ApiTypes.CALL_CREDENTIALS) + " credentials",
        "callOptions.withCallCredentials(credentials)",
        List.of(
            "@param credentials applied to each call after its connection is chosen; never sent "
                + "over a connection weaker than they require"));
  }

  private void withMethod(
      String stub,
      String what,
      String method,
      String params,
      String options,
      List<String> paramTags) {
    out.blankLine();
    List<String> doc = new ArrayList<>();
    doc.add("Returns a stub like this one " + what + ".");
    doc.add("");
    doc.addAll(paramTags);
    doc.add("@return a new stub; this one is unchanged");
    out.javadoc(doc);
    out.open("public " + stub + " " + method + "(" + params + ")");
    out.line("return new " + stub + "(channel, " + options + ");");
    out.close();
  }

  private void javadoc(ServiceModel.Method method, String summary, List<String> tags) {
    List<String> doc = new ArrayList<>();
    doc.add(summary);
    ServiceClassWriter.appendComment(doc, method.comment(), tags, method.deprecated());
    out.javadoc(doc);
    if (method.deprecated()) {
      out.line("@" + type(ApiTypes.DEPRECATED));
    }
  }

  /** Opens a public method of the given return type, wrapping the parameters when long. */
  private void signature(String returnType, ServiceModel.Method method, List<String> params) {
    out.openCall("public " + returnType + " " + method.javaName(), params);
  }

  private String observer(JavaTypeName message) {
    return type(ApiTypes.STREAM_OBSERVER) + "<" + type(message) + ">";
  }

  private String type(JavaTypeName type) {
    return plan.spell(type);
  }
}
