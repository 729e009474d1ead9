package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.SecurityLevel;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.transport.StreamProgress;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.testing.StringMarshaller;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CredentialsStreamTest {
  private final FakeTransport transport =
      new FakeTransport(new InetSocketAddress("127.0.0.1", 1), null, false, null);
  private final RecordingTransportListener listener = new RecordingTransportListener();
  private final List<CallCredentials.RequestInfo> asked = new ArrayList<>();

  CredentialsStreamTest() {
    transport.attributes =
        Attributes.newBuilder()
            .set(TransportAttributes.SECURITY_LEVEL, SecurityLevel.PRIVACY_AND_INTEGRITY)
            .build();
  }

  private CredentialsStream<String> stream(
      Function<CallCredentials.RequestInfo, CompletionStage<Metadata>> answer) {
    CallCredentials credentials =
        new CallCredentials() {
          @Override
          public CompletionStage<Metadata> requestMetadata(RequestInfo info) {
            asked.add(info);
            return answer.apply(info);
          }

          @Override
          public String toString() {
            return "TestCredentials";
          }
        };
    return new CredentialsStream<>(
        transport,
        credentials,
        "example.test",
        ChannelFixture.BIDI,
        new Metadata().put("x-app", "1"),
        CallOptions.DEFAULT,
        StringMarshaller.INSTANCE);
  }

  @Test
  void operationsWaitForTheMetadataThenReachTheStreamWithIt() {
    CompletableFuture<Metadata> later = new CompletableFuture<>();
    CredentialsStream<String> stream = stream(info -> later);
    stream.start(listener);
    stream.request(1);
    stream.writeMessage("a");
    stream.halfClose();
    assertTrue(transport.streams.isEmpty(), "no stream before the credentials answer");
    assertEquals(false, stream.isReady());

    later.complete(new Metadata().put("authorization", "Bearer t"));
    FakeStream<?> real = transport.streams.get(0);
    assertEquals(List.of("start", "request 1", "write a", "halfClose"), real.events);
    assertEquals("Bearer t", real.headers.get("authorization"));
    assertEquals("1", real.headers.get("x-app"));
    CallCredentials.RequestInfo info = asked.get(0);
    assertEquals(ChannelFixture.BIDI.getFullMethodName(), info.fullMethodName());
    assertEquals("example.test", info.authority());
    assertEquals(SecurityLevel.PRIVACY_AND_INTEGRITY, info.securityLevel());
    assertEquals(transport.attributes, info.transportAttributes());
  }

  @Test
  void aWeakConnectionIsRefusedWithoutAskingTheCredentials() {
    transport.attributes = Attributes.EMPTY; // plaintext: no security level
    CredentialsStream<String> stream =
        stream(info -> CompletableFuture.completedFuture(new Metadata()));
    stream.start(listener);
    stream.writeMessage("secret");
    assertEquals(Status.Code.UNAUTHENTICATED, listener.status.getCode());
    assertTrue(listener.status.getDescription().contains("NONE"), listener.status.toString());
    assertEquals(StreamProgress.PROCESSED, listener.progress);
    assertTrue(asked.isEmpty());
    assertTrue(transport.streams.isEmpty());
  }

  @Test
  void aCancelBeforeTheAnswerSaysWhatItWaitedForAndTheLateAnswerIsIgnored() {
    CompletableFuture<Metadata> later = new CompletableFuture<>();
    CredentialsStream<String> stream = stream(info -> later);
    stream.start(listener);
    stream.cancel(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 1s"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, listener.status.getCode());
    assertTrue(
        listener.status.getDescription().contains("waiting for call credentials TestCredentials"),
        listener.status.toString());
    later.complete(new Metadata());
    assertTrue(transport.streams.isEmpty(), "nothing is sent after the cancel");
    assertEquals(1, listener.closeCount);
  }

  @Test
  void failuresMapToTheirStatusUnavailableOrInternal() {
    assertEquals(
        Status.Code.PERMISSION_DENIED,
        failWith(new StatusRuntimeException(Status.PERMISSION_DENIED)).getCode());
    Status internal = failWith(new StatusRuntimeException(Status.FAILED_PRECONDITION));
    assertEquals(Status.Code.INTERNAL, internal.getCode());
    assertTrue(internal.getDescription().contains("FAILED_PRECONDITION"), internal.toString());
    Status unavailable = failWith(new IllegalStateException("vault down"));
    assertEquals(Status.Code.UNAVAILABLE, unavailable.getCode());
    assertTrue(unavailable.getDescription().contains("vault down"), unavailable.toString());
  }

  @Test
  void credentialsThatThrowOrAnswerNullFailTheCall() {
    CredentialsStream<String> throwing =
        stream(
            info -> {
              throw new IllegalStateException("broken");
            });
    throwing.start(listener);
    assertEquals(Status.Code.UNAVAILABLE, listener.status.getCode());

    RecordingTransportListener second = new RecordingTransportListener();
    stream(info -> CompletableFuture.completedFuture(null)).start(second);
    assertEquals(Status.Code.UNAVAILABLE, second.status.getCode());
    assertTrue(second.status.getDescription().contains("null metadata"), second.status.toString());
    assertTrue(transport.streams.isEmpty());
  }

  private Status failWith(Throwable error) {
    RecordingTransportListener l = new RecordingTransportListener();
    stream(info -> CompletableFuture.failedFuture(error)).start(l);
    assertEquals(StreamProgress.PROCESSED, l.progress);
    return l.status;
  }
}
