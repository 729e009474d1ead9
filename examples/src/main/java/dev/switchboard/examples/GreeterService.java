package dev.switchboard.examples;

import dev.switchboard.api.Status;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.HelloReply;
import dev.switchboard.examples.helloworld.HelloRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Greeter service: one method of each kind, every reply signed with the backend's name so that
 * clients can see which server answered. Extends the base class generated from {@code
 * helloworld.proto} by the Switchboard protoc plugin; register {@link #bindService()} with a
 * server. Thread-safe: per-call state lives in the request observers, whose callbacks the server
 * runs one at a time.
 *
 * @since 0.1
 */
public final class GreeterService extends GreeterSwitchboard.GreeterImplBase {
  /** Most replies {@code SayHelloStream} sends for one request. */
  static final int MAX_STREAM_REPLIES = 100;

  private final String backend;

  /**
   * A Greeter whose replies carry {@code backend}.
   *
   * @since 0.1
   */
  public GreeterService(String backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
    replies.onNext(reply("Hello, " + nameOf(request) + "!"));
    replies.onCompleted();
  }

  @Override
  public void sayHelloStream(HelloRequest request, StreamObserver<HelloReply> replies) {
    int count = request.getCount() == 0 ? 3 : request.getCount();
    if (count < 0 || count > MAX_STREAM_REPLIES) {
      replies.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "count must be between 0 and " + MAX_STREAM_REPLIES + ", got " + count)
              .asRuntimeException());
      return;
    }
    for (int i = 1; i <= count; i++) {
      replies.onNext(reply("Hello #" + i + " of " + count + ", " + nameOf(request) + "!"));
    }
    replies.onCompleted();
  }

  @Override
  public StreamObserver<HelloRequest> sayHelloToAll(StreamObserver<HelloReply> replies) {
    return new StreamObserver<>() {
      private final List<String> names = new ArrayList<>();

      @Override
      public void onNext(HelloRequest request) {
        names.add(nameOf(request));
      }

      @Override
      public void onError(Throwable t) {
        // The client went away; there is nobody left to answer.
      }

      @Override
      public void onCompleted() {
        replies.onNext(
            reply(
                names.isEmpty()
                    ? "Hello, nobody!"
                    : "Hello, " + String.join(", ", names) + "! (" + names.size() + " names)"));
        replies.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<HelloRequest> chat(StreamObserver<HelloReply> replies) {
    return new StreamObserver<>() {
      private int seen;

      @Override
      public void onNext(HelloRequest request) {
        seen++;
        replies.onNext(reply("Hi " + nameOf(request) + ", you are guest #" + seen));
      }

      @Override
      public void onError(Throwable t) {
        // The client went away; nothing to clean up.
      }

      @Override
      public void onCompleted() {
        replies.onCompleted();
      }
    };
  }

  private HelloReply reply(String message) {
    return HelloReply.newBuilder().setMessage(message).setBackend(backend).build();
  }

  private static String nameOf(HelloRequest request) {
    return request.getName().isBlank() ? "stranger" : request.getName();
  }
}
