package dev.switchboard.cli;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ClientCalls;
import dev.switchboard.api.stub.StreamObserver;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes one call of any kind with {@link DynamicMessage}s: sends the requests {@code requests}
 * reads (one for unary and server-streaming methods; for client-streaming and bidi ones, every
 * object, sent from a thread of its own while responses are printed), and prints each response as a
 * JSON line as it arrives.
 */
final class Invoker {
  private final Channel channel;
  private final JsonMessages json;
  private final PrintStream out;

  Invoker(Channel channel, JsonMessages json, PrintStream out) {
    this.channel = channel;
    this.json = json;
    this.out = out;
  }

  /** {@code pkg.Service/Method} as a Switchboard method descriptor over dynamic messages. */
  static MethodDescriptor<DynamicMessage, DynamicMessage> methodOf(
      Descriptors.MethodDescriptor method) {
    return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setFullMethodName(method.getService().getFullName() + "/" + method.getName())
        .setType(kind(method))
        .setRequestMarshaller(new DynamicMarshaller(method.getInputType()))
        .setResponseMarshaller(new DynamicMarshaller(method.getOutputType()))
        .build();
  }

  private static MethodType kind(Descriptors.MethodDescriptor method) {
    if (method.isClientStreaming()) {
      return method.isServerStreaming() ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
    }
    return method.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY;
  }

  /**
   * Calls {@code method}, printing the responses.
   *
   * @param requests the request messages; for a method with one request, none means an empty one
   * @throws CliException when the call fails (exit code 64 + status code) or a request is bad
   */
  void call(Descriptors.MethodDescriptor method, JsonMessages.Reading requests, Duration deadline)
      throws CliException {
    MethodDescriptor<DynamicMessage, DynamicMessage> rpc = methodOf(method);
    CallOptions options = CallOptions.DEFAULT;
    if (deadline != null) {
      options = options.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    StreamObserver<DynamicMessage> responses =
        new StreamObserver<>() {
          @Override
          public void onNext(DynamicMessage value) {
            events.add(value);
          }

          @Override
          public void onError(Throwable t) {
            events.add(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            events.add(Status.OK);
          }
        };
    ClientStream<DynamicMessage, DynamicMessage> call = channel.newStream(rpc, options);
    AtomicReference<CliException> badRequest = new AtomicReference<>();
    if (rpc.getType().clientSendsOneMessage()) {
      DynamicMessage request = requests.next();
      if (request == null) {
        request = DynamicMessage.getDefaultInstance(method.getInputType());
      }
      if (requests.next() != null) {
        throw CliException.failed(
            "method " + method.getFullName() + " takes one request, and more were given");
      }
      if (rpc.getType() == MethodType.UNARY) {
        ClientCalls.asyncUnaryCall(call, request, responses);
      } else {
        ClientCalls.asyncServerStreamingCall(call, request, responses);
      }
    } else {
      StreamObserver<DynamicMessage> sink =
          rpc.getType() == MethodType.CLIENT_STREAMING
              ? ClientCalls.asyncClientStreamingCall(call, responses)
              : ClientCalls.asyncBidiStreamingCall(call, responses);
      Thread sender =
          new Thread(() -> sendAll(requests, sink, badRequest), "switchboard-cli-requests");
      sender.setDaemon(true);
      sender.start();
    }
    awaitAndPrint(events, badRequest);
  }

  private static void sendAll(
      JsonMessages.Reading requests,
      StreamObserver<DynamicMessage> sink,
      AtomicReference<CliException> badRequest) {
    try {
      for (DynamicMessage request = requests.next(); request != null; request = requests.next()) {
        sink.onNext(request);
      }
      sink.onCompleted();
    } catch (CliException e) {
      badRequest.set(e);
      sink.onError(Status.CANCELLED.withDescription("bad request").asRuntimeException());
    } catch (RuntimeException e) {
      badRequest.set(CliException.failed("cannot send the requests: " + e));
      sink.onError(Status.CANCELLED.withDescription("request failed").asRuntimeException());
    }
  }

  private void awaitAndPrint(BlockingQueue<Object> events, AtomicReference<CliException> badRequest)
      throws CliException {
    while (true) {
      Object event;
      try {
        event = events.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CliException.failed("interrupted");
      }
      if (event instanceof DynamicMessage response) {
        out.println(json.print(response));
        continue;
      }
      Status status = (Status) event;
      if (badRequest.get() != null) {
        throw badRequest.get();
      }
      if (!status.isOk()) {
        throw CliException.of(status);
      }
      return;
    }
  }
}
