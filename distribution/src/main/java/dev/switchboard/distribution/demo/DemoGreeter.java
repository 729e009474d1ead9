package dev.switchboard.distribution.demo;

import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.HelloReply;
import dev.switchboard.examples.helloworld.HelloRequest;

/**
 * The example Greeter's unary method, each reply signed with the backend's name; its other methods
 * answer {@code UNIMPLEMENTED} (the generated base class's default). A {@link
 * dev.switchboard.api.BindableService}, registered for the whiteboard by {@link DemoBackends}.
 */
final class DemoGreeter extends GreeterSwitchboard.GreeterImplBase {
  private final String backend;

  DemoGreeter(String backend) {
    this.backend = backend;
  }

  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
    replies.onNext(
        HelloReply.newBuilder()
            .setMessage("Hello, " + request.getName() + "!")
            .setBackend(backend)
            .build());
    replies.onCompleted();
  }
}
