package dev.switchboard.distribution.demo;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.HelloReply;
import dev.switchboard.examples.helloworld.HelloRequest;
import dev.switchboard.server.Servers;
import java.io.IOException;

/**
 * The example Greeter's unary method, each reply signed with the backend's name; its other methods
 * answer {@code UNIMPLEMENTED} (the generated base class's default).
 */
final class DemoGreeter {
  private DemoGreeter() {}

  /** Starts a Greeter backend named {@code backend} on 127.0.0.1, any free port. */
  static Server start(String backend) throws IOException {
    GreeterSwitchboard.GreeterImplBase greeter =
        new GreeterSwitchboard.GreeterImplBase() {
          @Override
          public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
            replies.onNext(
                HelloReply.newBuilder()
                    .setMessage("Hello, " + request.getName() + "!")
                    .setBackend(backend)
                    .build());
            replies.onCompleted();
          }
        };
    return Servers.newServer(
            ServerOptions.newBuilder()
                .insecure()
                .listen("127.0.0.1", 0)
                .addService(greeter.bindService())
                .build())
        .start();
  }
}
