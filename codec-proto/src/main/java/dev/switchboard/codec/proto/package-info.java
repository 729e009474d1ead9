/**
 * The {@code proto} codec: protobuf-java messages ({@link com.google.protobuf.MessageLite}) on the
 * wire as {@code application/grpc+proto}. Not exported: the codec is reached through {@link
 * dev.switchboard.api.spi.CodecRegistry} by its name.
 */
package dev.switchboard.codec.proto;
