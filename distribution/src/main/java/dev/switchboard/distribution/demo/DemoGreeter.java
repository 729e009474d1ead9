package dev.switchboard.distribution.demo;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.examples.helloworld.GreeterDescriptors;
import dev.switchboard.examples.helloworld.HelloReply;
import dev.switchboard.server.Servers;
import java.io.IOException;

/** The example Greeter's unary method, each reply signed with the backend's name. */
final class DemoGreeter {
  private DemoGreeter() {}

  /** Starts a Greeter backend named {@code backend} on 127.0.0.1, any free port. */
  static Server start(String backend) throws IOException {
    ServiceDefinition service = ServiceDefinition.newBuilder(GreeterDescriptors.SERVICE_NAME)
        .addMethod(GreeterDescriptors.SAY_HELLO, ServerCalls.asyncUnaryCall((request, replies) -> {
          replies.onNext(HelloReply.newBuilder()
              .setMessage("Hello, " + request.getName() + "!").setBackend(backend).build());
          replies.onCompleted();
        }))
        .build();
    return Servers.newServer(ServerOptions.newBuilder().listen("127.0.0.1", 0)
        .addService(service).build()).start();
  }
}
