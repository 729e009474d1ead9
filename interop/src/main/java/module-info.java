/**
 * gRPC interop test programs: {@code InteropServer} serves {@code grpc.testing.TestService} and
 * {@code InteropClient} runs the interop test cases against any server, after gRPC's
 * interop-test-descriptions and grpc-java's {@code TestServiceServer}/{@code TestServiceClient}.
 *
 * <p>The transport, balancer and codec are found at run time through {@link
 * java.util.ServiceLoader}; they only need to be on the class or module path.
 */
module dev.switchboard.interop {
  requires dev.switchboard.core.clientconn;
  requires dev.switchboard.core.server;
  // Types of these two appear in the exported package: method descriptors, generated messages.
  requires transitive dev.switchboard.api;
  requires transitive com.google.protobuf;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  // The proto codec and protobuf itself reflect on the generated message classes.
  exports dev.switchboard.interop.proto;
  exports dev.switchboard.interop.orca;
}
