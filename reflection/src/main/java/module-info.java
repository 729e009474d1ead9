/**
 * gRPC server reflection: the {@code grpc.reflection.v1.ServerReflection} service and its
 * deprecated {@code v1alpha} twin, which describe the services a server binds to tools such as
 * grpcurl and the {@code switchboard} CLI. See {@link
 * dev.switchboard.reflection.ReflectionService}.
 */
module dev.switchboard.reflection {
  // Types of these two appear in the exported packages: ServiceDefinition, Server, messages.
  requires transitive dev.switchboard.api;
  requires transitive com.google.protobuf;
  // Build-time only: Declarative Services annotations (the OSGi component binding reflection to
  // Server services), and the bundle/versioning annotations, read by bnd.
  requires static org.osgi.service.component.annotations;
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.reflection;
  // Messages and stubs generated from grpc/reflection/v1/reflection.proto, for clients too; the
  // proto codec and protobuf's own reflection reach them through this export.
  exports dev.switchboard.reflection.v1;
}
