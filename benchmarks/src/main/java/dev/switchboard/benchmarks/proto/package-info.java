/**
 * grpc-java's benchmark protos ({@code grpc/testing/services.proto}, {@code messages.proto}, {@code
 * control.proto}, {@code payloads.proto}, {@code stats.proto} from {@code
 * io.grpc:grpc-benchmarks}), generated with proto package {@code grpc.testing} kept (that is what
 * goes on the wire) and {@code java_package} rewritten to this package, plus the Switchboard stubs
 * ({@code BenchmarkServiceSwitchboard}). Exported so that the {@code proto} codec and protobuf's
 * own reflection can reach the generated classes on the module path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.benchmarks.proto;
