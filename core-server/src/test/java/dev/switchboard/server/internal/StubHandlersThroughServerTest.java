package dev.switchboard.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.api.stub.StreamObserver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The api's {@link ServerCalls} handlers served by the core over the fake transport. */
class StubHandlersThroughServerTest {
  private final ServerFixture f = new ServerFixture();

  private ServiceDefinition greeter() {
    return ServiceDefinition.newBuilder("test.Echo")
        .addMethod(
            ServerFixture.UNARY,
            ServerCalls.asyncUnaryCall(
                (String request, StreamObserver<String> responses) -> {
                  if (request.endsWith("nobody")) {
                    throw Status.NOT_FOUND.withDescription("who?").asRuntimeException();
                  }
                  responses.onNext("hello " + request);
                  responses.onCompleted();
                }))
        .addMethod(
            ServerFixture.CHAT,
            ServerCalls.asyncBidiStreamingCall(
                (StreamObserver<String> responses) ->
                    new StreamObserver<String>() {
                      @Override
                      public void onNext(String value) {
                        responses.onNext("echo " + value);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        responses.onCompleted();
                      }
                    }))
        .build();
  }

  private void startServer() {
    f.start(f.baseOptions().addService(greeter()));
  }

  @Test
  void unaryRoundTrip() {
    startServer();
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    assertEquals(2, stream.requested);
    stream.clientSends("ada");
    stream.clientHalfCloses();
    f.clock.runPendingTasks();

    assertEquals(1, stream.headersWritten.size());
    assertEquals(List.of("proto:hello proto:ada"), stream.messagesWritten);
    assertEquals(Status.OK, stream.closeStatus);
  }

  @Test
  void thrownStatusReachesClient() {
    startServer();
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    stream.clientSends("nobody");
    stream.clientHalfCloses();
    f.clock.runPendingTasks();
    assertEquals(Status.NOT_FOUND.withDescription("who?"), stream.closeStatus);
  }

  @Test
  void secondUnaryRequestStoppedByCore() {
    startServer();
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    stream.clientSends("a");
    stream.clientSends("b");
    f.clock.runPendingTasks();
    assertEquals(Status.INTERNAL.withDescription("Too many requests"), stream.closeStatus);
  }

  @Test
  void bidiEchoesWithFlowControl() {
    startServer();
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);
    assertEquals(1, stream.requested);
    stream.clientSends("a");
    f.clock.runPendingTasks();
    assertEquals(2, stream.requested);
    stream.clientSends("b");
    stream.clientHalfCloses();
    f.clock.runPendingTasks();

    assertEquals(List.of("proto:echo proto:a", "proto:echo proto:b"), stream.messagesWritten);
    assertEquals(Status.OK, stream.closeStatus);
    assertTrue(stream.isEnded());
  }
}
