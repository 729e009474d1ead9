package dev.switchboard.compiler;

/**
 * The Switchboard API and JDK types generated code uses. The plugin does not depend on the API:
 * these are names only, checked by the tests that compile generated code against it.
 */
final class ApiTypes {
  private static final String API = "dev.switchboard.api";
  private static final String STUB = "dev.switchboard.api.stub";

  static final JavaTypeName STRING = JavaTypeName.of("java.lang", "String");
  static final JavaTypeName DEPRECATED = JavaTypeName.of("java.lang", "Deprecated");
  static final JavaTypeName OVERRIDE = JavaTypeName.of("java.lang", "Override");
  static final JavaTypeName CALL_OPTIONS = JavaTypeName.of(API, "CallOptions");
  static final JavaTypeName CALL_CREDENTIALS = JavaTypeName.of(API, "CallCredentials");
  static final JavaTypeName CHANNEL = JavaTypeName.of(API, "Channel");
  static final JavaTypeName METHOD_DESCRIPTOR = JavaTypeName.of(API, "MethodDescriptor");
  static final JavaTypeName METHOD_TYPE = JavaTypeName.of(API, "MethodType");
  static final JavaTypeName SERVICE_DEFINITION = JavaTypeName.of(API, "ServiceDefinition");
  static final JavaTypeName BINDABLE_SERVICE = JavaTypeName.of(API, "BindableService");
  static final JavaTypeName CLIENT_CALLS = JavaTypeName.of(STUB, "ClientCalls");
  static final JavaTypeName SERVER_CALLS = JavaTypeName.of(STUB, "ServerCalls");
  static final JavaTypeName STREAM_OBSERVER = JavaTypeName.of(STUB, "StreamObserver");
  static final JavaTypeName ITERATOR = JavaTypeName.of("java.util", "Iterator");
  static final JavaTypeName OBJECTS = JavaTypeName.of("java.util", "Objects");
  static final JavaTypeName COMPLETABLE_FUTURE =
      JavaTypeName.of("java.util.concurrent", "CompletableFuture");
  static final JavaTypeName TIME_UNIT = JavaTypeName.of("java.util.concurrent", "TimeUnit");

  private ApiTypes() {}
}
