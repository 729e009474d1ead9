/**
 * gRPC health checking: {@link dev.switchboard.health.HealthStatusManager} keeps a server's serving
 * statuses and serves them as {@code grpc.health.v1.Health}; {@link
 * dev.switchboard.health.GrpcHealthCheckProvider} runs the client-side health checks (gRFC A17)
 * channels ask for in their service config.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.health;
