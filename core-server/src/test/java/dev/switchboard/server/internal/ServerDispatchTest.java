package dev.switchboard.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.TransportAttributes;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerDispatchTest {
  private final ServerFixture f = new ServerFixture();

  @Test
  void unaryCallRunsOnServerExecutorAndRoundTrips() {
    f.start();
    Metadata headers = new Metadata().put("x-user", "ada");
    FakeServerStream stream =
        f.connection.newStream(
            ServerFixture.UNARY.getFullMethodName(), new FakeServerStream(), headers);
    assertTrue(f.unary.calls.isEmpty(), "handler must not run on the transport thread");
    assertEquals(2, stream.requested, "the request (and one more, refused) asked for at once");

    f.clock.runPendingTasks();
    assertEquals(1, f.unary.calls.size());
    assertEquals("ada", f.unary.headers.get(0).get("x-user"));
    assertEquals(2, stream.requested, "the handler's request(1) is not passed on again");

    stream.clientSends("hi");
    stream.clientHalfCloses();
    assertTrue(f.unary.listener(0).events.isEmpty(), "events wait for the executor");
    f.clock.runPendingTasks();
    assertEquals(List.of("message:proto:hi", "halfClose"), f.unary.listener(0).events);
    assertTrue(stream.messagesSent.get(0).closed, "request stream closed after decoding");

    ServerCall<String, String> call = f.unary.call(0);
    call.sendMessage("ok");
    call.close(Status.OK, new Metadata());
    assertEquals(1, stream.headersWritten.size(), "headers sent implicitly before the message");
    assertEquals(List.of("proto:ok"), stream.messagesWritten);
    assertEquals(Status.OK, stream.closeStatus);

    f.clock.runPendingTasks();
    assertEquals(List.of("message:proto:hi", "halfClose", "complete"), f.unary.listener(0).events);
  }

  @Test
  void singleRequestWaitsForTheApplicationsRequest() {
    f.unary.initialRequest = 0;
    f.start();
    FakeServerStream stream =
        f.connection.newStream(
            ServerFixture.UNARY.getFullMethodName(), new FakeServerStream(), new Metadata());
    stream.clientSends("hi");
    stream.clientHalfCloses();
    f.clock.runPendingTasks();
    RecordingListener listener = f.unary.listener(0);
    assertTrue(listener.events.isEmpty(), "nothing delivered before request: " + listener.events);
    assertFalse(stream.messagesSent.get(0).closed, "the held message keeps its buffer");

    f.unary.call(0).request(1);
    f.clock.runPendingTasks();
    assertEquals(List.of("message:proto:hi", "halfClose"), listener.events);
    assertTrue(stream.messagesSent.get(0).closed);
  }

  @Test
  void heldMessageIsReleasedWhenTheCallEndsUnrequested() {
    f.unary.initialRequest = 0;
    f.start();
    FakeServerStream stream =
        f.connection.newStream(
            ServerFixture.UNARY.getFullMethodName(), new FakeServerStream(), new Metadata());
    stream.clientSends("hi");
    f.clock.runPendingTasks();
    assertFalse(stream.messagesSent.get(0).closed);

    stream.clientCancels();
    f.clock.runPendingTasks();
    assertTrue(stream.messagesSent.get(0).closed, "buffer of a message never asked for released");
    assertEquals(List.of("cancel"), f.unary.listener(0).events);
  }

  @Test
  void requestFromAnotherThreadReleasesTheHeldMessage() throws Exception {
    f.unary.initialRequest = 0;
    f.start();
    FakeServerStream stream =
        f.connection.newStream(
            ServerFixture.UNARY.getFullMethodName(), new FakeServerStream(), new Metadata());
    stream.clientSends("hi");
    stream.clientHalfCloses();
    f.clock.runPendingTasks();
    Thread other = new Thread(() -> f.unary.call(0).request(5));
    other.start();
    other.join();
    f.clock.runPendingTasks();
    assertEquals(List.of("message:proto:hi", "halfClose"), f.unary.listener(0).events);
  }

  @Test
  void unknownMethodIsUnimplemented() {
    f.start();
    FakeServerStream stream = f.connection.newStream("test.Echo/Missing");
    assertEquals(Status.Code.UNIMPLEMENTED, stream.closeStatus.getCode());
    assertEquals(
        "unknown method Missing for service test.Echo", stream.closeStatus.getDescription());
    assertTrue(stream.closeTrailers.isEmpty());
    assertTrue(stream.headersWritten.isEmpty());
    assertTrue(stream.clientSends("late").closed, "late messages are released");
    assertEquals(0, f.clock.runPendingTasks());
  }

  @Test
  void unknownServiceIsUnimplemented() {
    f.start();
    FakeServerStream stream = f.connection.newStream("other.Service/Unary");
    assertEquals(Status.Code.UNIMPLEMENTED, stream.closeStatus.getCode());
    assertEquals("unknown service other.Service", stream.closeStatus.getDescription());
  }

  @Test
  void contentSubtypeChoosesCodec() {
    f.start();
    FakeServerStream stream = new FakeServerStream();
    stream.contentSubtype = "json";
    f.connection.newStream(ServerFixture.UNARY.getFullMethodName(), stream, new Metadata());
    f.clock.runPendingTasks();
    stream.clientSends("hi");
    f.clock.runPendingTasks();
    f.unary.call(0).sendMessage("ok");

    assertEquals(List.of("message:json:hi"), f.unary.listener(0).events);
    assertEquals(List.of("json:ok"), stream.messagesWritten);
  }

  @Test
  void explicitMarshallersWinOverCodec() {
    f.start();
    FakeServerStream stream = new FakeServerStream();
    stream.contentSubtype = "json";
    f.connection.newStream(ServerFixture.EXPLICIT.getFullMethodName(), stream, new Metadata());
    f.clock.runPendingTasks();
    stream.clientSends("hi");
    f.clock.runPendingTasks();
    f.explicit.call(0).sendMessage("ok");

    assertEquals(List.of("message:explicit:hi"), f.explicit.listener(0).events);
    assertEquals(List.of("explicit:ok"), stream.messagesWritten);
  }

  @Test
  void missingCodecIsInternalNamingIt() {
    f.start();
    FakeServerStream stream = new FakeServerStream();
    stream.contentSubtype = "xml";
    f.connection.newStream(ServerFixture.UNARY.getFullMethodName(), stream, new Metadata());

    assertEquals(Status.Code.INTERNAL, stream.closeStatus.getCode());
    assertTrue(
        stream.closeStatus.getDescription().contains("'xml'"), stream.closeStatus.getDescription());
    assertEquals(0, f.clock.runPendingTasks());
  }

  @Test
  void codecThatCannotMarshalIsInternal() {
    f.start();
    FakeServerStream stream = f.connection.newStream(ServerFixture.NUMBERS.getFullMethodName());
    assertEquals(Status.Code.INTERNAL, stream.closeStatus.getCode());
    assertTrue(
        stream.closeStatus.getDescription().contains("'proto'"),
        stream.closeStatus.getDescription());
    assertTrue(
        stream.closeStatus.getDescription().endsWith("marshals String only, not " + Integer.class),
        "the codec's own reason: " + stream.closeStatus.getDescription());
  }

  @Test
  void interceptorsWrapHandlersFirstAddedFirst() {
    List<String> order = new CopyOnWriteArrayList<>();
    f.unary.onStart = started -> order.add("handler");
    f.start(f.options().intercept(recorder("a", order), recorder("b", order)));
    f.startCall(ServerFixture.UNARY);
    assertEquals(List.of("a", "b", "handler"), order);
  }

  @Test
  void interceptorCanShortCircuit() {
    ServerInterceptor deny =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            call.close(Status.PERMISSION_DENIED.withDescription("no"), new Metadata());
            return new ServerCallListener<>() {};
          }
        };
    f.start(f.options().intercept(deny));
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);

    assertTrue(f.unary.calls.isEmpty());
    assertEquals(Status.Code.PERMISSION_DENIED, stream.closeStatus.getCode());
  }

  @Test
  void defaultExecutorIsSharedDaemonPool() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    List<String> startThreads = new CopyOnWriteArrayList<>();
    f.unary.onStart =
        s -> {
          startThreads.add(Thread.currentThread().getName());
          started.countDown();
        };
    f.start(f.options().executor(null));
    FakeServerStream stream = f.connection.newStream(ServerFixture.UNARY.getFullMethodName());
    assertTrue(started.await(5, TimeUnit.SECONDS));
    stream.clientCancels();
    RecordingListener listener = f.unary.listener(0);
    assertTrue(listener.ended.await(5, TimeUnit.SECONDS));

    assertTrue(startThreads.get(0).startsWith("switchboard-server-"), startThreads.toString());
    assertEquals(List.of("cancel"), listener.events);
    assertTrue(
        listener.threads.get(0).startsWith("switchboard-server-"), listener.threads.toString());
  }

  @Test
  void callExposesStreamProperties() {
    f.start();
    Attributes attributes =
        Attributes.newBuilder()
            .set(TransportAttributes.REMOTE_ADDRESS, new InetSocketAddress("10.0.0.1", 5000))
            .build();
    FakeServerStream stream = new FakeServerStream();
    stream.attributes = attributes;
    f.connection.newStream(ServerFixture.UNARY.getFullMethodName(), stream, new Metadata());
    f.clock.runPendingTasks();

    ServerCall<String, String> call = f.unary.call(0);
    assertEquals("example.com", call.getAuthority());
    assertSame(attributes, call.getAttributes());
    assertNull(call.getDeadline());
    assertSame(ServerFixture.UNARY, call.getMethodDescriptor());
    assertTrue(call.isReady());
    stream.ready = false;
    assertFalse(call.isReady());
  }

  @Test
  void onReadyReachesListener() {
    f.start();
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);
    stream.becomesReady();
    f.clock.runPendingTasks();
    assertEquals(List.of("ready"), f.chat.listener(0).events);
  }

  private static ServerInterceptor recorder(String name, List<String> order) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        order.add(name);
        return next.startCall(call, headers);
      }
    };
  }
}
