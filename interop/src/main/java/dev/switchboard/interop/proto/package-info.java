/**
 * The interop messages and stubs, generated at build time from grpc-java's copy of the official
 * {@code grpc/testing/{test,messages,empty}.proto} (proto package {@code grpc.testing}, as on the
 * wire; only {@code java_package} is changed to this package). Exported so that the {@code proto}
 * codec and protobuf's own reflection can reach the generated classes on the module path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.interop.proto;
