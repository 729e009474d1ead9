package dev.switchboard.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.reflection.v1.ServerReflectionRequest;
import dev.switchboard.reflection.v1.ServerReflectionResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer cannot make the server queue responses: {@link ReflectionStream} asks for the next request
 * only once the call is ready for more output, and answers each request with one response.
 */
class ReflectionStreamTest {
  /** Records what the stream does with its call; readiness is set by the test. */
  static final class FakeCall extends ServerCallStreamObserver<ServerReflectionResponse> {
    final List<ServerReflectionResponse> sent = new ArrayList<>();
    int requested;
    boolean autoInbound = true;
    boolean ready = true;
    boolean completed;
    Runnable onReady;

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {
      onReady = onReadyHandler;
    }

    @Override
    public void disableAutoInboundFlowControl() {
      autoInbound = false;
    }

    @Override
    public void request(int count) {
      requested += count;
    }

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setOnCloseHandler(Runnable onCloseHandler) {}

    @Override
    public void setCompression(String compressorName) {}

    @Override
    public Deadline getDeadline() {
      return null;
    }

    @Override
    public void onNext(ServerReflectionResponse value) {
      sent.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      completed = true;
    }
  }

  private static final ServerReflectionRequest LIST =
      ServerReflectionRequest.newBuilder().setListServices("").build();

  @Test
  void readsTheNextRequestOnlyWhenTheCallIsReady() {
    FakeCall call = new FakeCall();
    SchemaIndex index = new SchemaIndex(List.of(ServiceDefinition.newBuilder("a.B").build()));
    ReflectionStream stream = new ReflectionStream(() -> index, call);
    assertTrue(!call.autoInbound, "inbound flow control is manual");
    assertEquals(1, call.requested, "one request at a time");

    stream.onNext(LIST);
    assertEquals(1, call.sent.size());
    assertEquals(2, call.requested, "ready: the next request is read at once");

    call.ready = false;
    stream.onNext(LIST);
    assertEquals(2, call.sent.size());
    assertEquals(2, call.requested, "not ready: no more requests are read");
    call.onReady.run();
    assertEquals(3, call.requested, "ready again: one more");
    call.onReady.run();
    assertEquals(3, call.requested, "a spurious onReady asks for nothing");

    stream.onCompleted();
    assertTrue(call.completed);
  }
}
