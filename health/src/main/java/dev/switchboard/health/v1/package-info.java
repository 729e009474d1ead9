/**
 * The {@code grpc.health.v1} messages and {@code Health} stubs, generated at build time from the
 * official {@code grpc/health/v1/health.proto} (proto package as on the wire; only {@code
 * java_package} is ours). Exported so that the {@code proto} codec and protobuf's reflection reach
 * them, and for clients calling {@code Check} or {@code Watch} themselves.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.health.v1;
