/**
 * The Greeter example's messages and stubs, all generated from {@code helloworld.proto}: messages
 * by protoc, {@code GreeterSwitchboard} (method descriptors, stubs, {@code GreeterImplBase}) by the
 * Switchboard protoc plugin (the {@code compiler} module). Exported so that the {@code proto} codec
 * and protobuf's own reflection can reach the generated classes on the module path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.examples.helloworld;
