package dev.switchboard.compiler.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Empty;
import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.compiler.LoopbackChannel;
import dev.switchboard.compiler.RecordingObserver;
import dev.switchboard.compiler.test.kinds.KindServiceSwitchboard;
import dev.switchboard.compiler.test.kinds.KindServiceSwitchboard.KindServiceBlockingStub;
import dev.switchboard.compiler.test.kinds.KindServiceSwitchboard.KindServiceImplBase;
import dev.switchboard.compiler.test.kinds.KindServiceSwitchboard.KindServiceStub;
import dev.switchboard.compiler.test.kinds.Ping;
import dev.switchboard.compiler.test.kinds.Pong;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Uses the code generated for {@code kinds/all_kinds.proto} the way an application would.
 * Compiled and run by GeneratedCodeTest.
 */
public final class KindServiceUsage {
  private static final Ping PING = Ping.newBuilder().setText("ping").build();

  private KindServiceUsage() {}

  public static void run() throws Exception {
    descriptors();
    asyncStub();
    blockingStub();
    futureStub();
    stubsAreImmutableAndPassCallOptions();
    implBase();
  }

  private static void descriptors() {
    assertEquals("switchboard.test.kinds.KindService", KindServiceSwitchboard.SERVICE_NAME);
    assertEquals("switchboard.test.kinds.KindService/Unary",
        KindServiceSwitchboard.METHOD_UNARY.getFullMethodName());
    assertEquals(MethodType.UNARY, KindServiceSwitchboard.METHOD_UNARY.getType());
    assertEquals(MethodType.SERVER_STREAMING,
        KindServiceSwitchboard.METHOD_SERVER_STREAM.getType());
    assertEquals(MethodType.CLIENT_STREAMING,
        KindServiceSwitchboard.METHOD_CLIENT_STREAM.getType());
    assertEquals(MethodType.BIDI_STREAMING, KindServiceSwitchboard.METHOD_BIDI_STREAM.getType());
    assertEquals(Ping.class, KindServiceSwitchboard.METHOD_UNARY.getRequestType());
    assertEquals(Pong.class, KindServiceSwitchboard.METHOD_UNARY.getResponseType());
    assertEquals("proto", KindServiceSwitchboard.METHOD_UNARY.getCodecName());

    assertFalse(KindServiceSwitchboard.METHOD_UNARY.isIdempotent());
    assertFalse(KindServiceSwitchboard.METHOD_UNARY.isSafe());
    assertTrue(KindServiceSwitchboard.METHOD_GET_STATUS.isIdempotent());
    assertTrue(KindServiceSwitchboard.METHOD_GET_STATUS.isSafe());
    assertEquals(Ping.Probe.class, KindServiceSwitchboard.METHOD_GET_STATUS.getRequestType());
    assertTrue(KindServiceSwitchboard.METHOD_PUT_STATE.isIdempotent());
    assertFalse(KindServiceSwitchboard.METHOD_PUT_STATE.isSafe());
    assertEquals(Empty.class, KindServiceSwitchboard.METHOD_PUT_STATE.getResponseType());
    assertEquals("switchboard.test.kinds.KindService/uncommented_call",
        KindServiceSwitchboard.METHOD_UNCOMMENTED_CALL.getFullMethodName());
  }

  private static void asyncStub() {
    LoopbackChannel channel = new LoopbackChannel();
    KindServiceStub stub = KindServiceSwitchboard.newStub(channel);

    RecordingObserver<Pong> unary = new RecordingObserver<>();
    stub.unary(PING, unary);
    assertEquals(1, unary.values.size());
    assertTrue(unary.completed);
    assertSame(KindServiceSwitchboard.METHOD_UNARY, channel.lastMethod());

    RecordingObserver<Pong> serverStream = new RecordingObserver<>();
    stub.serverStream(PING, serverStream);
    assertEquals(1, serverStream.values.size());
    assertTrue(serverStream.completed);

    RecordingObserver<Pong> clientStream = new RecordingObserver<>();
    StreamObserver<Ping> requests = stub.clientStream(clientStream);
    requests.onNext(PING);
    requests.onNext(PING);
    requests.onCompleted();
    assertEquals(1, clientStream.values.size());
    assertTrue(clientStream.completed);

    RecordingObserver<Pong> bidi = new RecordingObserver<>();
    StreamObserver<Ping> bidiRequests = stub.bidiStream(bidi);
    bidiRequests.onNext(PING);
    bidiRequests.onNext(PING);
    bidiRequests.onCompleted();
    assertEquals(2, bidi.values.size());
    assertTrue(bidi.completed);
    assertSame(KindServiceSwitchboard.METHOD_BIDI_STREAM, channel.lastMethod());
  }

  private static void blockingStub() {
    LoopbackChannel channel = new LoopbackChannel();
    KindServiceBlockingStub stub = KindServiceSwitchboard.newBlockingStub(channel);
    assertEquals(Pong.getDefaultInstance(), stub.unary(PING));
    assertEquals(Empty.getDefaultInstance(), stub.putState(PING));
    Iterator<Pong> responses = stub.serverStream(PING);
    assertTrue(responses.hasNext());
    assertEquals(Pong.getDefaultInstance(), responses.next());
    assertFalse(responses.hasNext());
  }

  private static void futureStub() throws Exception {
    LoopbackChannel channel = new LoopbackChannel();
    Pong pong = KindServiceSwitchboard.newFutureStub(channel).unary(PING).get(5, TimeUnit.SECONDS);
    assertEquals(Pong.getDefaultInstance(), pong);
    assertSame(KindServiceSwitchboard.METHOD_UNARY, channel.lastMethod());
  }

  private static void stubsAreImmutableAndPassCallOptions() {
    LoopbackChannel channel = new LoopbackChannel();
    KindServiceStub plain = KindServiceSwitchboard.newStub(channel);
    KindServiceStub tuned = plain.withDeadlineAfter(1, TimeUnit.MINUTES)
        .withCompression("gzip")
        .withWaitForReady();

    tuned.unary(PING, new RecordingObserver<>());
    CallOptions options = channel.lastCallOptions();
    assertNotNull(options.getDeadline());
    assertEquals("gzip", options.getCompressorName());
    assertTrue(options.isWaitForReady());

    plain.unary(PING, new RecordingObserver<>());
    assertNull(channel.lastCallOptions().getDeadline());
    assertNull(channel.lastCallOptions().getCompressorName());
    assertFalse(channel.lastCallOptions().isWaitForReady());

    plain.withCallOptions(CallOptions.DEFAULT.withAuthority("elsewhere"))
        .unary(PING, new RecordingObserver<>());
    assertEquals("elsewhere", channel.lastCallOptions().getAuthority());

    KindServiceSwitchboard.newBlockingStub(channel).withCompression("gzip").unary(PING);
    assertEquals("gzip", channel.lastCallOptions().getCompressorName());

    CallCredentials token =
        new CallCredentials() {
          @Override
          public CompletionStage<Metadata> requestMetadata(RequestInfo info) {
            return CompletableFuture.completedFuture(new Metadata());
          }
        };
    plain.withCallCredentials(token).unary(PING, new RecordingObserver<>());
    assertSame(token, channel.lastCallOptions().getCallCredentials());
  }

  private static void implBase() throws Exception {
    KindServiceImplBase unimplemented = new KindServiceImplBase() {};
    ServiceDefinition definition = unimplemented.bindService();
    assertEquals(KindServiceSwitchboard.SERVICE_NAME, definition.getServiceName());
    assertEquals(8, definition.getMethods().size());
    // The schema descriptor: protobuf's descriptor of the service, for server reflection.
    Descriptors.ServiceDescriptor schema =
        assertInstanceOf(Descriptors.ServiceDescriptor.class, definition.getSchemaDescriptor());
    assertEquals(KindServiceSwitchboard.SERVICE_NAME, schema.getFullName());
    assertEquals("kinds/all_kinds.proto", schema.getFile().getName());
    assertEquals(8, schema.getMethods().size());
    assertSame(KindServiceSwitchboard.METHOD_CLIENT_STREAM, definition.getMethod(
        KindServiceSwitchboard.METHOD_CLIENT_STREAM.getFullMethodName()).method());

    RecordingObserver<Pong> unary = new RecordingObserver<>();
    unimplemented.unary(PING, unary);
    assertUnimplemented(unary);

    RecordingObserver<Pong> bidi = new RecordingObserver<>();
    StreamObserver<Ping> requests = unimplemented.bidiStream(bidi);
    assertNotNull(requests);
    requests.onNext(PING); // ignored
    assertUnimplemented(bidi);

    KindServiceImplBase implemented = new KindServiceImplBase() {
      @Override
      public void unary(Ping request, StreamObserver<Pong> responseObserver) {
        responseObserver.onNext(Pong.newBuilder().setText(request.getText()).build());
        responseObserver.onCompleted();
      }
    };
    RecordingObserver<Pong> served = new RecordingObserver<>();
    implemented.unary(PING, served);
    assertEquals("ping", served.values.get(0).getText());

    assertNotNull(KindServiceStub.class.getMethod("legacyCall", Ping.class, StreamObserver.class)
        .getAnnotation(Deprecated.class));
    assertNotNull(KindServiceImplBase.class
        .getMethod("legacyCall", Ping.class, StreamObserver.class)
        .getAnnotation(Deprecated.class));
    assertNotNull(KindServiceSwitchboard.class.getField("METHOD_LEGACY_CALL")
        .getAnnotation(Deprecated.class));
    assertNull(KindServiceStub.class.getMethod("unary", Ping.class, StreamObserver.class)
        .getAnnotation(Deprecated.class));
  }

  private static void assertUnimplemented(RecordingObserver<?> observer) {
    StatusRuntimeException e = assertInstanceOf(StatusRuntimeException.class, observer.error);
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
  }
}
