package dev.switchboard.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ClientCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.reflection.v1.ExtensionRequest;
import dev.switchboard.reflection.v1.ServerReflectionRequest;
import dev.switchboard.reflection.v1.ServerReflectionResponse;
import dev.switchboard.reflection.v1.ServerReflectionSwitchboard;
import dev.switchboard.reflection.v1.ServiceResponse;
import dev.switchboard.server.Servers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reflection over a real loopback server, v1 and v1alpha: each kind of request, transitive
 * dependencies sent once per stream, unknown names answered with NOT_FOUND, and a service bound
 * after the reflection service is seen by the next request.
 */
class ReflectionServiceTest {
  /** test/shapes.proto: imports empty.proto; a message with an extension range and extensions. */
  static final FileDescriptor SHAPES = shapes();

  private static Server server;
  private static ClientConn channel;

  @BeforeAll
  static void start() throws Exception {
    server =
        Servers.newServer(
            ServerOptions.newBuilder()
                .insecure()
                .listen("127.0.0.1", 0)
                .addService(
                    ServiceDefinition.newBuilder("test.Shapes")
                        .setSchemaDescriptor(SHAPES.findServiceByName("Shapes"))
                        .build())
                .addService(ServiceDefinition.newBuilder("test.Opaque").build())
                .build());
    ReflectionService.addTo(server);
    server.start();
    channel =
        ClientConns.newClient(
            "127.0.0.1:" + server.port(), DialOptions.newBuilder().insecure().build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.close();
    }
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  static FileDescriptor shapes() {
    FileDescriptorProto proto =
        FileDescriptorProto.newBuilder()
            .setName("test/shapes.proto")
            .setPackage("test")
            .addDependency("google/protobuf/empty.proto")
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("Shape")
                    .addField(field("sides", 1, FieldDescriptorProto.Type.TYPE_INT32, null))
                    .addExtensionRange(
                        DescriptorProto.ExtensionRange.newBuilder().setStart(100).setEnd(200))
                    .addNestedType(DescriptorProto.newBuilder().setName("Corner")))
            .addExtension(
                field("color", 101, FieldDescriptorProto.Type.TYPE_STRING, null)
                    .setExtendee(".test.Shape"))
            .addExtension(
                field("weight", 150, FieldDescriptorProto.Type.TYPE_INT64, null)
                    .setExtendee(".test.Shape"))
            .addService(
                ServiceDescriptorProto.newBuilder()
                    .setName("Shapes")
                    .addMethod(
                        MethodDescriptorProto.newBuilder()
                            .setName("Draw")
                            .setInputType(".test.Shape")
                            .setOutputType(".google.protobuf.Empty")))
            .build();
    try {
      return FileDescriptor.buildFrom(
          proto, new FileDescriptor[] {Empty.getDescriptor().getFile()});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static FieldDescriptorProto.Builder field(
      String name, int number, FieldDescriptorProto.Type type, String typeName) {
    FieldDescriptorProto.Builder field =
        FieldDescriptorProto.newBuilder()
            .setName(name)
            .setNumber(number)
            .setType(type)
            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
    return typeName == null ? field : field.setTypeName(typeName);
  }

  /** The v1 method, or the v1alpha one (v1's messages: the same on the wire). */
  private static MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> method(
      String version) {
    if (version.equals("v1")) {
      return ServerReflectionSwitchboard.METHOD_SERVER_REFLECTION_INFO;
    }
    return MethodDescriptor.of(
        "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        MethodType.BIDI_STREAMING,
        ServerReflectionRequest.class,
        ServerReflectionResponse.class);
  }

  /** Sends {@code requests} on one stream, half-closes, and returns every response. */
  static List<ServerReflectionResponse> exchange(
      String version, ServerReflectionRequest... requests) throws Exception {
    List<ServerReflectionResponse> responses = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> out =
        ClientCalls.asyncBidiStreamingCall(
            channel.newStream(
                method(version), CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)),
            new StreamObserver<>() {
              @Override
              public void onNext(ServerReflectionResponse value) {
                synchronized (responses) {
                  responses.add(value);
                }
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            });
    for (ServerReflectionRequest request : requests) {
      out.onNext(request);
    }
    out.onCompleted();
    done.get(10, TimeUnit.SECONDS);
    synchronized (responses) {
      assertEquals(requests.length, responses.size());
      for (int i = 0; i < requests.length; i++) {
        assertEquals(requests[i], responses.get(i).getOriginalRequest());
      }
      return List.copyOf(responses);
    }
  }

  static ServerReflectionRequest.Builder request() {
    return ServerReflectionRequest.newBuilder().setHost("localhost");
  }

  private static List<String> fileNames(ServerReflectionResponse response)
      throws InvalidProtocolBufferException {
    List<String> names = new ArrayList<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      names.add(FileDescriptorProto.parseFrom(bytes).getName());
    }
    return names;
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void listsEveryBoundService(String version) throws Exception {
    ServerReflectionResponse response =
        exchange(version, request().setListServices("").build()).get(0);
    assertEquals("localhost", response.getValidHost());
    assertEquals(
        List.of(
            "test.Shapes",
            "test.Opaque",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection"),
        response.getListServicesResponse().getServiceList().stream()
            .map(ServiceResponse::getName)
            .toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void fileByFilenameSendsDependenciesOncePerStream(String version) throws Exception {
    List<ServerReflectionResponse> responses =
        exchange(
            version,
            request().setFileByFilename("test/shapes.proto").build(),
            request().setFileByFilename("test/shapes.proto").build(),
            request().setFileByFilename("google/protobuf/empty.proto").build());
    assertEquals(
        List.of("test/shapes.proto", "google/protobuf/empty.proto"), fileNames(responses.get(0)));
    assertEquals(List.of("test/shapes.proto"), fileNames(responses.get(1)));
    assertEquals(List.of("google/protobuf/empty.proto"), fileNames(responses.get(2)));
    assertEquals(
        SHAPES.toProto(),
        FileDescriptorProto.parseFrom(
            responses.get(0).getFileDescriptorResponse().getFileDescriptorProto(0)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void fileContainingSymbolFindsServicesMethodsMessagesFieldsAndExtensions(String version)
      throws Exception {
    for (String symbol :
        List.of(
            "test.Shapes",
            "test.Shapes.Draw",
            "test.Shape",
            "test.Shape.Corner",
            "test.Shape.sides",
            "test.color")) {
      ServerReflectionResponse response =
          exchange(version, request().setFileContainingSymbol(symbol).build()).get(0);
      assertEquals(
          List.of("test/shapes.proto", "google/protobuf/empty.proto"), fileNames(response), symbol);
    }
    ServerReflectionResponse own =
        exchange(version, request().setFileContainingSymbol(ReflectionService.SERVICE_NAME).build())
            .get(0);
    assertEquals(List.of("grpc/reflection/v1/reflection.proto"), fileNames(own));
    ServerReflectionResponse alpha =
        exchange(
                version,
                request().setFileContainingSymbol(ReflectionService.V1ALPHA_SERVICE_NAME).build())
            .get(0);
    assertEquals(List.of("grpc/reflection/v1alpha/reflection.proto"), fileNames(alpha));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void extensions(String version) throws Exception {
    List<ServerReflectionResponse> responses =
        exchange(
            version,
            request()
                .setFileContainingExtension(
                    ExtensionRequest.newBuilder()
                        .setContainingType("test.Shape")
                        .setExtensionNumber(150))
                .build(),
            request().setAllExtensionNumbersOfType("test.Shape").build(),
            request().setAllExtensionNumbersOfType("google.protobuf.Empty").build());
    assertEquals(
        List.of("test/shapes.proto", "google/protobuf/empty.proto"), fileNames(responses.get(0)));
    assertEquals("test.Shape", responses.get(1).getAllExtensionNumbersResponse().getBaseTypeName());
    assertEquals(
        List.of(101, 150),
        responses.get(1).getAllExtensionNumbersResponse().getExtensionNumberList());
    assertEquals(
        List.of(), responses.get(2).getAllExtensionNumbersResponse().getExtensionNumberList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void unknownNamesAreNotFoundAndTheStreamGoesOn(String version) throws Exception {
    List<ServerReflectionResponse> responses =
        exchange(
            version,
            request().setFileContainingSymbol("test.Nope").build(),
            request().setFileByFilename("nope.proto").build(),
            request()
                .setFileContainingExtension(
                    ExtensionRequest.newBuilder()
                        .setContainingType("test.Shape")
                        .setExtensionNumber(199))
                .build(),
            request().setAllExtensionNumbersOfType("test.Nope").build(),
            request().setFileContainingSymbol("test.Opaque").build(),
            request().build(),
            request().setListServices("").build());
    for (int i = 0; i < 5; i++) {
      assertEquals(
          Status.Code.NOT_FOUND.value(),
          responses.get(i).getErrorResponse().getErrorCode(),
          responses.get(i).toString());
    }
    assertEquals("unknown symbol test.Nope", responses.get(0).getErrorResponse().getErrorMessage());
    assertEquals(
        Status.Code.INVALID_ARGUMENT.value(), responses.get(5).getErrorResponse().getErrorCode());
    assertTrue(responses.get(6).hasListServicesResponse());
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void serviceBoundLaterIsSeenAndRemovedOneIsNot(String version) throws Exception {
    ServerReflectionRequest findLater = request().setFileContainingSymbol("test.Later").build();
    assertTrue(exchange(version, findLater).get(0).hasErrorResponse());
    FileDescriptor laterFile =
        FileDescriptor.buildFrom(
            FileDescriptorProto.newBuilder()
                .setName("test/later.proto")
                .setPackage("test")
                .addService(ServiceDescriptorProto.newBuilder().setName("Later"))
                .build(),
            new FileDescriptor[0]);
    ServiceDefinition later =
        ServiceDefinition.newBuilder("test.Later")
            .setSchemaDescriptor(laterFile.findServiceByName("Later"))
            .build();
    server.addService(later);
    try {
      assertEquals(List.of("test/later.proto"), fileNames(exchange(version, findLater).get(0)));
    } finally {
      server.removeService(later);
    }
    assertEquals(
        Status.Code.NOT_FOUND.value(),
        exchange(version, findLater).get(0).getErrorResponse().getErrorCode());
  }
}
