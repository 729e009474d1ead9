package dev.switchboard.examples.helloworld;

import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;

/**
 * The {@code switchboard.examples.helloworld.Greeter} service's methods, written by hand until stub
 * generation exists. Messages use the default {@code proto} codec, found at run time.
 *
 * @since 0.1
 */
public final class GreeterDescriptors {
  /**
   * The service's full name, as in {@code helloworld.proto}.
   *
   * @since 0.1
   */
  public static final String SERVICE_NAME = "switchboard.examples.helloworld.Greeter";

  /**
   * Unary: one request, one reply.
   *
   * @since 0.1
   */
  public static final MethodDescriptor<HelloRequest, HelloReply> SAY_HELLO =
      method("SayHello", MethodType.UNARY);

  /**
   * Server streaming: one request, {@code count} replies.
   *
   * @since 0.1
   */
  public static final MethodDescriptor<HelloRequest, HelloReply> SAY_HELLO_STREAM =
      method("SayHelloStream", MethodType.SERVER_STREAMING);

  /**
   * Client streaming: many requests, one reply.
   *
   * @since 0.1
   */
  public static final MethodDescriptor<HelloRequest, HelloReply> SAY_HELLO_TO_ALL =
      method("SayHelloToAll", MethodType.CLIENT_STREAMING);

  /**
   * Bidirectional streaming: a reply per request.
   *
   * @since 0.1
   */
  public static final MethodDescriptor<HelloRequest, HelloReply> CHAT =
      method("Chat", MethodType.BIDI_STREAMING);

  private GreeterDescriptors() {}

  private static MethodDescriptor<HelloRequest, HelloReply> method(String name, MethodType type) {
    return MethodDescriptor.of(
        MethodDescriptor.fullMethodName(SERVICE_NAME, name), type,
        HelloRequest.class, HelloReply.class);
  }
}
