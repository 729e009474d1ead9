/**
 * The Greeter example's messages (generated from {@code helloworld.proto}) and its hand-written
 * method descriptors. Exported so that the {@code proto} codec and protobuf's own reflection can
 * reach the generated classes on the module path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.examples.helloworld;
