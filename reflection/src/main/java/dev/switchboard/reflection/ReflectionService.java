package dev.switchboard.reflection;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.switchboard.api.BindableService;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.reflection.v1.ServerReflectionProto;
import dev.switchboard.reflection.v1.ServerReflectionRequest;
import dev.switchboard.reflection.v1.ServerReflectionResponse;
import dev.switchboard.reflection.v1.ServerReflectionSwitchboard;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Server reflection: the {@code grpc.reflection.v1.ServerReflection} service (and, with {@link
 * #bindV1AlphaService()}, the deprecated {@code grpc.reflection.v1alpha} one that older clients ask
 * for), describing the services of a server: their names, and the proto files that define them, as
 * their {@linkplain ServiceDefinition#getSchemaDescriptor() schema descriptors} give them (the
 * stubs the Switchboard protoc plugin generates set them).
 *
 * <p>It reads the server's {@link Server#services()} on every request, so services bound after it
 * (by {@link Server#addService}, or by the OSGi whiteboard on a server configured from
 * Configuration Admin) are described as soon as they are bound, and removed ones no longer are. The
 * simplest way to serve it is {@link #addTo(Server)}:
 *
 * <pre>{@code
 * Server server = Servers.newServer(options);
 * ReflectionService.addTo(server);
 * server.start();
 * }</pre>
 *
 * <p>What a peer can make it do is bounded: one response per request, the next request read only
 * once the transport has taken the previous response; requests are bounded by the server's maximum
 * inbound message size; the index of files it answers from is rebuilt when the bound services
 * change and is the size of their schema.
 *
 * <p>Thread-safe.
 *
 * @since 0.3
 */
public final class ReflectionService implements BindableService {
  /** The full name of the v1 service. */
  public static final String SERVICE_NAME = ServerReflectionSwitchboard.SERVICE_NAME;

  /** The full name of the deprecated v1alpha service. */
  public static final String V1ALPHA_SERVICE_NAME = "grpc.reflection.v1alpha.ServerReflection";

  // The v1alpha method with v1's message classes: the two protos' messages are the same on the
  // wire, field for field.
  private static final MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse>
      V1ALPHA_METHOD =
          MethodDescriptor.of(
              V1ALPHA_SERVICE_NAME + "/ServerReflectionInfo",
              MethodType.BIDI_STREAMING,
              ServerReflectionRequest.class,
              ServerReflectionResponse.class);

  private static final String V1ALPHA_DESCRIPTOR = "v1alpha-reflection.pb";

  private final Supplier<? extends List<ServiceDefinition>> services;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

  private ReflectionService(Supplier<? extends List<ServiceDefinition>> services) {
    this.services = services;
  }

  /**
   * {@return reflection over the services {@code server} binds, read afresh on every request}
   *
   * @param server the server it describes (usually the one it is bound to)
   */
  public static ReflectionService newInstance(Server server) {
    Objects.requireNonNull(server, "server");
    return new ReflectionService(server::services);
  }

  /**
   * {@return reflection over the services {@code services} supplies, called on every request}
   *
   * @param services supplies the services to describe; must be thread-safe and not return null
   */
  public static ReflectionService newInstance(
      Supplier<? extends List<ServiceDefinition>> services) {
    return new ReflectionService(Objects.requireNonNull(services, "services"));
  }

  /**
   * Binds the v1 and the v1alpha reflection services, describing {@code server}'s services, to
   * {@code server}.
   *
   * @param server the server, in any state
   * @return the reflection service bound
   * @throws IllegalArgumentException when a reflection service is bound already
   */
  public static ReflectionService addTo(Server server) {
    ReflectionService reflection = newInstance(server);
    server.addService(reflection.bindService());
    server.addService(reflection.bindV1AlphaService());
    return reflection;
  }

  /** {@return the {@code grpc.reflection.v1.ServerReflection} service} */
  @Override
  public ServiceDefinition bindService() {
    return ServiceDefinition.newBuilder(SERVICE_NAME)
        .addMethod(
            ServerReflectionSwitchboard.METHOD_SERVER_REFLECTION_INFO,
            ServerCalls.asyncBidiStreamingCall(this::serverReflectionInfo))
        .setSchemaDescriptor(
            ServerReflectionProto.getDescriptor().findServiceByName("ServerReflection"))
        .build();
  }

  /** {@return the deprecated {@code grpc.reflection.v1alpha.ServerReflection} service} */
  public ServiceDefinition bindV1AlphaService() {
    return ServiceDefinition.newBuilder(V1ALPHA_SERVICE_NAME)
        .addMethod(V1ALPHA_METHOD, ServerCalls.asyncBidiStreamingCall(this::serverReflectionInfo))
        .setSchemaDescriptor(v1AlphaDescriptor())
        .build();
  }

  /** protoc's descriptor of grpc/reflection/v1alpha/reflection.proto, read once (a resource). */
  private static ServiceDescriptor v1AlphaDescriptor() {
    return V1AlphaDescriptor.SERVICE;
  }

  private static final class V1AlphaDescriptor {
    static final ServiceDescriptor SERVICE = load();

    private static ServiceDescriptor load() {
      try (InputStream in = ReflectionService.class.getResourceAsStream(V1ALPHA_DESCRIPTOR)) {
        if (in == null) {
          throw new IllegalStateException(V1ALPHA_DESCRIPTOR + " is missing");
        }
        FileDescriptorProto file = FileDescriptorSet.parseFrom(in).getFile(0);
        return FileDescriptor.buildFrom(file, new FileDescriptor[0])
            .findServiceByName("ServerReflection");
      } catch (IOException | DescriptorValidationException e) {
        throw new IllegalStateException("cannot read " + V1ALPHA_DESCRIPTOR, e);
      }
    }
  }

  private StreamObserver<ServerReflectionRequest> serverReflectionInfo(
      StreamObserver<ServerReflectionResponse> responses) {
    return new ReflectionStream(
        this::index, (ServerCallStreamObserver<ServerReflectionResponse>) responses);
  }

  /** The index of the services bound now: the last one built, unless they have changed since. */
  private SchemaIndex index() {
    List<ServiceDefinition> now = List.copyOf(services.get());
    Snapshot last = snapshot.get();
    if (last != null && last.services.equals(now)) { // ServiceDefinition: identity
      return last.index;
    }
    SchemaIndex index = new SchemaIndex(now);
    snapshot.set(new Snapshot(now, index));
    return index;
  }

  private record Snapshot(List<ServiceDefinition> services, SchemaIndex index) {}
}
