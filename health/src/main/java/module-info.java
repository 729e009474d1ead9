/**
 * gRPC health checking: the {@code grpc.health.v1.Health} service ({@code HealthStatusManager}) and
 * the client-side health checks of gRFC A17 ({@code GrpcHealthCheckProvider}, a {@code
 * HealthCheckProvider} that channels find through the health check registry).
 */
module dev.switchboard.health {
  // Types of these two appear in the exported packages: services, generated messages.
  requires transitive dev.switchboard.api;
  requires transitive com.google.protobuf;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;
  // Build-time only: Declarative Services annotations, turned into OSGI-INF XML by bnd.
  requires static org.osgi.service.component.annotations;

  exports dev.switchboard.health;
  exports dev.switchboard.health.v1;

  provides dev.switchboard.api.spi.HealthCheckProvider with
      dev.switchboard.health.GrpcHealthCheckProvider;
}
