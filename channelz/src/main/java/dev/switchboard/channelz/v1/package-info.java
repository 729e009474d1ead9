/**
 * The {@code grpc.channelz.v1} messages (protoc) and the {@code ChannelzSwitchboard} stubs (our
 * compiler), generated from gRPC's {@code channelz.proto}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.channelz.v1;
