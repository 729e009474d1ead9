package dev.switchboard.interop;

import com.google.protobuf.ByteString;
import dev.switchboard.api.Channel;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.interop.proto.Messages.BoolValue;
import dev.switchboard.interop.proto.Messages.ResponseParameters;
import dev.switchboard.interop.proto.Messages.SimpleRequest;
import dev.switchboard.interop.proto.Messages.StreamingInputCallRequest;
import dev.switchboard.interop.proto.Messages.StreamingInputCallResponse;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallRequest;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallResponse;
import dev.switchboard.interop.proto.TestServiceSwitchboard;
import dev.switchboard.interop.proto.TestServiceSwitchboard.TestServiceBlockingStub;
import dev.switchboard.interop.proto.TestServiceSwitchboard.TestServiceStub;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Stubs, request builders and the checks the interop cases make; a failed check throws. */
final class InteropChecks {
  private InteropChecks() {}

  static TestServiceBlockingStub blocking(Channel channel) {
    return TestServiceSwitchboard.newBlockingStub(channel)
        .withDeadlineAfter(InteropTests.CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  static TestServiceStub async(Channel channel) {
    return TestServiceSwitchboard.newStub(channel)
        .withDeadlineAfter(InteropTests.CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  static SimpleRequest.Builder largeRequest() {
    return SimpleRequest.newBuilder().setResponseSize(314159).setPayload(Payloads.zeros(271828));
  }

  static StreamingInputCallRequest.Builder inputRequest(int size) {
    return StreamingInputCallRequest.newBuilder().setPayload(Payloads.zeros(size));
  }

  static StreamingOutputCallRequest outputRequest(int requestSize, int responseSize) {
    return StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(responseSize))
        .setPayload(Payloads.zeros(requestSize))
        .build();
  }

  static BoolValue bool(boolean value) {
    return BoolValue.newBuilder().setValue(value).build();
  }

  /** The status {@code call} failed with; fails the case when it succeeded. */
  static Status statusOf(Supplier<?> call) {
    Object response;
    try {
      response = call.get();
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
    throw new AssertionError(
        "expected the call to fail, but it returned "
            + response.getClass().getSimpleName()
            + " of "
            + sizeOf(response)
            + " bytes");
  }

  static int sizeOf(Object message) {
    return message instanceof com.google.protobuf.MessageLite m ? m.getSerializedSize() : -1;
  }

  static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new AssertionError(String.format(Locale.ROOT, format, args));
    }
  }

  static void checkPayload(ByteString body, int size, String what) {
    check(body.size() == size, "%s: payload of %d bytes, expected %d", what, body.size(), size);
    check(Payloads.isZeros(body, size), "%s: payload is not all zeros", what);
  }

  static void checkResponses(List<StreamingOutputCallResponse> responses, int... sizes) {
    int[] actual = responses.stream().mapToInt(r -> r.getPayload().getBody().size()).toArray();
    check(
        Arrays.equals(actual, sizes),
        "response sizes %s, expected %s",
        Arrays.toString(actual),
        Arrays.toString(sizes));
    for (StreamingOutputCallResponse r : responses) {
      check(
          Payloads.isZeros(r.getPayload().getBody(), r.getPayload().getBody().size()),
          "a response payload is not all zeros");
    }
  }

  static void checkOk(StreamRecorder<?> recorder) {
    Status status = recorder.status();
    if (!status.isOk()) {
      throw new AssertionError("the call failed: " + status, recorder.error());
    }
  }

  static void checkAggregate(StreamRecorder<StreamingInputCallResponse> recorder, int size) {
    List<StreamingInputCallResponse> responses = recorder.messages();
    check(responses.size() == 1, "expected 1 response, got %d", responses.size());
    check(
        responses.get(0).getAggregatedPayloadSize() == size,
        "aggregated_payload_size %d, expected %d",
        responses.get(0).getAggregatedPayloadSize(),
        size);
  }

  static void checkCode(Status.Code expected, Status actual, String what) {
    check(actual.getCode() == expected, "%s: expected %s, got %s", what, expected, actual);
  }

  static void checkStatus(Status.Code code, String message, Status actual, String what) {
    checkCode(code, actual, what);
    check(
        message.equals(actual.getDescription()),
        "%s: expected the message %s, got %s",
        what,
        quote(message),
        actual.getDescription() == null ? "none" : quote(actual.getDescription()));
  }

  static void checkEchoed(
      MetadataInterceptor capture, String initial, byte[] trailing, String what) {
    Metadata headers = capture.lastHeaders.get();
    check(headers != null, "%s: no response headers", what);
    check(
        initial.equals(headers.get(EchoMetadataInterceptor.ECHO_INITIAL)),
        "%s: %s in the headers is %s, expected %s",
        what,
        EchoMetadataInterceptor.ECHO_INITIAL,
        headers.get(EchoMetadataInterceptor.ECHO_INITIAL),
        initial);
    Metadata trailers = capture.lastTrailers.get();
    check(trailers != null, "%s: no trailers", what);
    byte[] echoed = trailers.getBinary(EchoMetadataInterceptor.ECHO_TRAILING);
    check(
        Arrays.equals(trailing, echoed),
        "%s: %s in the trailers is %s, expected %s",
        what,
        EchoMetadataInterceptor.ECHO_TRAILING,
        echoed == null ? "missing" : hex(echoed),
        hex(trailing));
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder("0x");
    for (byte b : bytes) {
      sb.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    return sb.toString();
  }

  /** {@code s} with control and non-ASCII characters escaped, for messages. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            cp -> {
              if (cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\') {
                sb.appendCodePoint(cp);
              } else {
                sb.append(String.format(Locale.ROOT, "\\u{%x}", cp));
              }
            });
    return sb.append('"').toString();
  }
}
