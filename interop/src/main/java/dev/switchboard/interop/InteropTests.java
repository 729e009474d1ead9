package dev.switchboard.interop;

import static dev.switchboard.interop.InteropChecks.*;

import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.stub.ClientCallStreamObserver;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.interop.proto.EmptyProtos.Empty;
import dev.switchboard.interop.proto.Messages.EchoStatus;
import dev.switchboard.interop.proto.Messages.ResponseParameters;
import dev.switchboard.interop.proto.Messages.SimpleRequest;
import dev.switchboard.interop.proto.Messages.SimpleResponse;
import dev.switchboard.interop.proto.Messages.StreamingInputCallRequest;
import dev.switchboard.interop.proto.Messages.StreamingInputCallResponse;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallRequest;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallResponse;
import dev.switchboard.interop.proto.TestServiceSwitchboard;
import dev.switchboard.interop.proto.UnimplementedServiceSwitchboard;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of the interop test cases, after gRPC's interop-test-descriptions: each case
 * makes its calls on channels from {@link Channels}, checks what the description requires and
 * throws {@link AssertionError} (or the call's {@link StatusRuntimeException}) when it does not
 * hold. Every wait is bounded: calls carry a deadline of {@value #CALL_TIMEOUT_SECONDS} s, stream
 * waits give up after {@value #OPERATION_TIMEOUT_SECONDS} s.
 *
 * <p>What this client cannot check: whether a response arrived compressed (server_compressed_*),
 * since the client API does not expose the message flags. Like grpc-java's client, it checks that
 * such responses arrive intact.
 */
final class InteropTests {
  static final int CALL_TIMEOUT_SECONDS = 30;
  static final int OPERATION_TIMEOUT_SECONDS = 15;
  static final String SPECIAL_STATUS_MESSAGE =
      "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";
  static final int VERY_LARGE_REQUEST_BYTES = 10 * 1024 * 1024;

  /** Opens channels to the server under test; each case closes the ones it opened. */
  interface Channels {
    ClientConn open();
  }

  /** Soak test parameters, with grpc-java's TestServiceClient defaults. */
  record SoakConfig(
      int iterations,
      int maxFailures,
      int maxAcceptableLatencyMs,
      int minTimeMsBetweenRpcs,
      int overallTimeoutSeconds,
      int requestSize,
      int responseSize,
      int threads) {
    static SoakConfig defaults() {
      return new SoakConfig(10, 0, 1000, 0, 10, 271828, 314159, 1);
    }
  }

  private final Channels channels;
  private final SoakConfig soak;

  InteropTests(Channels channels, SoakConfig soak) {
    this.channels = channels;
    this.soak = soak;
  }

  /** Runs {@code testCase} on a fresh channel; returns normally when it passed. */
  void run(TestCase testCase) throws Exception {
    if (testCase == TestCase.RPC_SOAK || testCase == TestCase.CHANNEL_SOAK) {
      soak(testCase == TestCase.CHANNEL_SOAK); // the soaks manage their channels
      return;
    }
    ClientConn conn = channels.open();
    try {
      run(testCase, conn);
    } finally {
      conn.close();
      conn.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private void run(TestCase testCase, ClientConn conn) throws Exception {
    switch (testCase) {
      case EMPTY_UNARY -> emptyUnary(conn);
      case LARGE_UNARY -> largeUnary(conn);
      case CLIENT_COMPRESSED_UNARY -> clientCompressedUnary(conn, true);
      case CLIENT_COMPRESSED_UNARY_NOPROBE -> clientCompressedUnary(conn, false);
      case SERVER_COMPRESSED_UNARY -> serverCompressedUnary(conn);
      case CLIENT_STREAMING -> clientStreaming(conn);
      case CLIENT_COMPRESSED_STREAMING -> clientCompressedStreaming(conn, true);
      case CLIENT_COMPRESSED_STREAMING_NOPROBE -> clientCompressedStreaming(conn, false);
      case SERVER_STREAMING -> serverStreaming(conn);
      case SERVER_COMPRESSED_STREAMING -> serverCompressedStreaming(conn);
      case PING_PONG -> pingPong(conn);
      case EMPTY_STREAM -> emptyStream(conn);
      case CUSTOM_METADATA -> customMetadata(conn);
      case STATUS_CODE_AND_MESSAGE -> statusCodeAndMessage(conn);
      case SPECIAL_STATUS_MESSAGE -> specialStatusMessage(conn);
      case UNIMPLEMENTED_METHOD -> unimplementedMethod(conn);
      case UNIMPLEMENTED_SERVICE -> unimplementedService(conn);
      case CANCEL_AFTER_BEGIN -> cancelAfterBegin(conn);
      case CANCEL_AFTER_FIRST_RESPONSE -> cancelAfterFirstResponse(conn);
      case TIMEOUT_ON_SLEEPING_SERVER -> timeoutOnSleepingServer(conn);
      case VERY_LARGE_REQUEST -> veryLargeRequest(conn);
      case RPC_SOAK, CHANNEL_SOAK -> throw new AssertionError("handled by run(TestCase)");
    }
  }

  // ---- the cases ----

  private void emptyUnary(Channel channel) {
    Empty response = blocking(channel).emptyCall(Empty.getDefaultInstance());
    check(response != null, "EmptyCall returned null");
    check(response.equals(Empty.getDefaultInstance()), "EmptyCall returned %s", response);
  }

  private void largeUnary(Channel channel) {
    SimpleResponse response = blocking(channel).unaryCall(largeRequest().build());
    checkPayload(response.getPayload().getBody(), 314159, "UnaryCall response");
  }

  private void clientCompressedUnary(Channel channel, boolean probe) {
    SimpleRequest expectCompressed = largeRequest().setExpectCompressed(bool(true)).build();
    SimpleRequest expectUncompressed = largeRequest().setExpectCompressed(bool(false)).build();
    if (probe) {
      // Sent uncompressed while claiming otherwise: a server that checks must refuse it.
      Status status = statusOf(() -> blocking(channel).unaryCall(expectCompressed));
      checkCode(
          Status.Code.INVALID_ARGUMENT, status, "the probe (uncompressed, expect_compressed=true)");
    }
    SimpleResponse compressed =
        blocking(channel).withCompression("gzip").unaryCall(expectCompressed);
    checkPayload(compressed.getPayload().getBody(), 314159, "response to the compressed request");
    SimpleResponse uncompressed = blocking(channel).unaryCall(expectUncompressed);
    checkPayload(
        uncompressed.getPayload().getBody(), 314159, "response to the uncompressed request");
  }

  private void serverCompressedUnary(Channel channel) {
    for (boolean compressed : new boolean[] {true, false}) {
      SimpleResponse response =
          blocking(channel)
              .unaryCall(largeRequest().setResponseCompressed(bool(compressed)).build());
      checkPayload(
          response.getPayload().getBody(),
          314159,
          "response with response_compressed=" + compressed);
    }
  }

  private void clientStreaming(Channel channel) throws InterruptedException {
    StreamRecorder<StreamingInputCallResponse> recorder = new StreamRecorder<>();
    StreamObserver<StreamingInputCallRequest> requests =
        async(channel).streamingInputCall(recorder);
    for (int size : new int[] {27182, 8, 1828, 45904}) {
      requests.onNext(inputRequest(size).build());
    }
    requests.onCompleted();
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(recorder);
    checkAggregate(recorder, 74922);
  }

  private void clientCompressedStreaming(Channel channel, boolean probe)
      throws InterruptedException {
    StreamingInputCallRequest expectCompressed =
        inputRequest(27182).setExpectCompressed(bool(true)).build();
    StreamingInputCallRequest expectUncompressed =
        inputRequest(45904).setExpectCompressed(bool(false)).build();
    if (probe) {
      StreamRecorder<StreamingInputCallResponse> probeRecorder = new StreamRecorder<>();
      StreamObserver<StreamingInputCallRequest> probeRequests =
          async(channel).streamingInputCall(probeRecorder);
      probeRequests.onNext(expectCompressed); // uncompressed: no compressor on this call
      try {
        probeRecorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (AssertionError e) {
        probeRequests.onError(new IllegalStateException("probe not refused"));
        throw new AssertionError(
            "the probe (uncompressed, expect_compressed=true) was not refused"
                + " within "
                + OPERATION_TIMEOUT_SECONDS
                + " s: expected INVALID_ARGUMENT");
      }
      checkCode(
          Status.Code.INVALID_ARGUMENT,
          probeRecorder.status(),
          "the probe (uncompressed, expect_compressed=true)");
    }
    RequestStreamRecorder<StreamingInputCallRequest, StreamingInputCallResponse> recorder =
        new RequestStreamRecorder<>();
    async(channel).withCompression("gzip").streamingInputCall(recorder);
    ClientCallStreamObserver<StreamingInputCallRequest> requests = recorder.requests();
    requests.setMessageCompression(true);
    requests.onNext(expectCompressed);
    requests.setMessageCompression(false);
    requests.onNext(expectUncompressed);
    requests.onCompleted();
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(recorder);
    checkAggregate(recorder, 73086);
  }

  private void serverStreaming(Channel channel) throws InterruptedException {
    int[] sizes = {31415, 9, 2653, 58979};
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    for (int size : sizes) {
      request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
    }
    StreamRecorder<StreamingOutputCallResponse> recorder = new StreamRecorder<>();
    async(channel).streamingOutputCall(request.build(), recorder);
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(recorder);
    checkResponses(recorder.messages(), sizes);
  }

  private void serverCompressedStreaming(Channel channel) throws InterruptedException {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(
                ResponseParameters.newBuilder().setCompressed(bool(true)).setSize(31415))
            .addResponseParameters(
                ResponseParameters.newBuilder().setCompressed(bool(false)).setSize(92653))
            .build();
    StreamRecorder<StreamingOutputCallResponse> recorder = new StreamRecorder<>();
    async(channel).streamingOutputCall(request, recorder);
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(recorder);
    checkResponses(recorder.messages(), 31415, 92653);
  }

  private void pingPong(Channel channel) throws InterruptedException {
    int[] requestSizes = {27182, 8, 1828, 45904};
    int[] responseSizes = {31415, 9, 2653, 58979};
    StreamRecorder<StreamingOutputCallResponse> recorder = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async(channel).fullDuplexCall(recorder);
    for (int i = 0; i < requestSizes.length; i++) {
      requests.onNext(outputRequest(requestSizes[i], responseSizes[i]));
      StreamingOutputCallResponse response =
          recorder.nextMessage(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      checkPayload(response.getPayload().getBody(), responseSizes[i], "response " + (i + 1));
    }
    requests.onCompleted();
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(recorder);
    checkResponses(recorder.messages(), responseSizes);
  }

  private void emptyStream(Channel channel) throws InterruptedException {
    StreamRecorder<StreamingOutputCallResponse> recorder = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async(channel).fullDuplexCall(recorder);
    requests.onCompleted();
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(recorder);
    check(
        recorder.messages().isEmpty(), "expected no responses, got %d", recorder.messages().size());
  }

  private void customMetadata(Channel channel) throws InterruptedException {
    String initialValue = "test_initial_metadata_value";
    byte[] trailingValue = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
    Metadata extra =
        new Metadata()
            .put(EchoMetadataInterceptor.ECHO_INITIAL, initialValue)
            .putBinary(EchoMetadataInterceptor.ECHO_TRAILING, trailingValue);

    MetadataInterceptor unaryCapture = new MetadataInterceptor(extra);
    Channel unaryChannel = ClientInterceptor.intercept(channel, List.of(unaryCapture));
    SimpleResponse response = blocking(unaryChannel).unaryCall(largeRequest().build());
    checkPayload(response.getPayload().getBody(), 314159, "UnaryCall response");
    checkEchoed(unaryCapture, initialValue, trailingValue, "UnaryCall");

    MetadataInterceptor streamCapture = new MetadataInterceptor(extra);
    Channel streamChannel = ClientInterceptor.intercept(channel, List.of(streamCapture));
    StreamRecorder<StreamingOutputCallResponse> recorder = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests =
        async(streamChannel).fullDuplexCall(recorder);
    requests.onNext(outputRequest(271828, 314159));
    requests.onCompleted();
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkOk(recorder);
    checkResponses(recorder.messages(), 314159);
    checkEchoed(streamCapture, initialValue, trailingValue, "FullDuplexCall");
  }

  private void statusCodeAndMessage(Channel channel) throws InterruptedException {
    String message = "test status message";
    EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage(message).build();
    Status unary =
        statusOf(
            () ->
                blocking(channel)
                    .unaryCall(SimpleRequest.newBuilder().setResponseStatus(echo).build()));
    checkStatus(Status.Code.UNKNOWN, message, unary, "UnaryCall");

    StreamRecorder<StreamingOutputCallResponse> recorder = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async(channel).fullDuplexCall(recorder);
    requests.onNext(StreamingOutputCallRequest.newBuilder().setResponseStatus(echo).build());
    requests.onCompleted();
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkStatus(Status.Code.UNKNOWN, message, recorder.status(), "FullDuplexCall");
  }

  private void specialStatusMessage(Channel channel) {
    EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage(SPECIAL_STATUS_MESSAGE).build();
    Status status =
        statusOf(
            () ->
                blocking(channel)
                    .unaryCall(SimpleRequest.newBuilder().setResponseStatus(echo).build()));
    checkStatus(Status.Code.UNKNOWN, SPECIAL_STATUS_MESSAGE, status, "UnaryCall");
  }

  private void unimplementedMethod(Channel channel) {
    Status status = statusOf(() -> blocking(channel).unimplementedCall(Empty.getDefaultInstance()));
    checkCode(Status.Code.UNIMPLEMENTED, status, "TestService/UnimplementedCall");
  }

  private void unimplementedService(Channel channel) {
    Status status =
        statusOf(
            () ->
                UnimplementedServiceSwitchboard.newBlockingStub(channel)
                    .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .unimplementedCall(Empty.getDefaultInstance()));
    checkCode(Status.Code.UNIMPLEMENTED, status, "UnimplementedService/UnimplementedCall");
  }

  private void cancelAfterBegin(Channel channel) throws InterruptedException {
    StreamRecorder<StreamingInputCallResponse> recorder = new StreamRecorder<>();
    StreamObserver<StreamingInputCallRequest> requests =
        async(channel).streamingInputCall(recorder);
    requests.onError(new IllegalStateException("cancel_after_begin: cancelled by the client"));
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkCode(Status.Code.CANCELLED, recorder.status(), "StreamingInputCall");
    check(
        recorder.messages().isEmpty(), "expected no responses, got %d", recorder.messages().size());
  }

  private void cancelAfterFirstResponse(Channel channel) throws InterruptedException {
    StreamRecorder<StreamingOutputCallResponse> recorder = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests = async(channel).fullDuplexCall(recorder);
    requests.onNext(outputRequest(27182, 31415));
    StreamingOutputCallResponse first =
        recorder.nextMessage(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkPayload(first.getPayload().getBody(), 31415, "first response");
    requests.onError(
        new IllegalStateException("cancel_after_first_response: cancelled by the client"));
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkCode(Status.Code.CANCELLED, recorder.status(), "FullDuplexCall");
    check(
        recorder.messages().size() == 1,
        "expected exactly 1 response, got %d",
        recorder.messages().size());
  }

  private void timeoutOnSleepingServer(Channel channel) throws InterruptedException {
    StreamRecorder<StreamingOutputCallResponse> recorder = new StreamRecorder<>();
    StreamObserver<StreamingOutputCallRequest> requests =
        TestServiceSwitchboard.newStub(channel)
            .withDeadlineAfter(1, TimeUnit.MILLISECONDS)
            .fullDuplexCall(recorder);
    try {
      requests.onNext(
          StreamingOutputCallRequest.newBuilder().setPayload(Payloads.zeros(27182)).build());
    } catch (IllegalStateException e) {
      // The deadline may already have ended the call.
    }
    recorder.awaitDone(OPERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    checkCode(Status.Code.DEADLINE_EXCEEDED, recorder.status(), "FullDuplexCall");
    check(
        recorder.messages().isEmpty(), "expected no responses, got %d", recorder.messages().size());
  }

  private void veryLargeRequest(Channel channel) {
    SimpleResponse response =
        blocking(channel)
            .unaryCall(
                SimpleRequest.newBuilder()
                    .setResponseSize(10)
                    .setPayload(Payloads.zeros(VERY_LARGE_REQUEST_BYTES))
                    .build());
    checkPayload(response.getPayload().getBody(), 10, "UnaryCall response");
  }

  /**
   * rpc_soak and channel_soak: {@code iterations} large unary calls, on one channel or each on a
   * new one, split over {@code threads} threads; an iteration fails when its call fails, returns
   * the wrong payload or takes longer than the latency limit. Passes when all iterations ran within
   * the overall timeout and at most {@code maxFailures} failed.
   */
  private void soak(boolean channelPerIteration) throws Exception {
    SoakConfig c = soak;
    if (c.threads() < 1 || c.iterations() % c.threads() != 0) {
      throw new IllegalArgumentException("soak_iterations must be a multiple of soak_num_threads");
    }
    long start = System.nanoTime();
    long overallDeadline = start + TimeUnit.SECONDS.toNanos(c.overallTimeoutSeconds());
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    List<String> failureLog = Collections.synchronizedList(new ArrayList<>());
    ClientConn shared = channelPerIteration ? null : channels.open();
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(c.responseSize())
            .setPayload(Payloads.zeros(c.requestSize()))
            .build();
    ExecutorService threads = Executors.newFixedThreadPool(c.threads());
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < c.threads(); t++) {
        results.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < c.iterations() / c.threads(); i++) {
                    if (System.nanoTime() >= overallDeadline) {
                      return null;
                    }
                    long earliestNext =
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(c.minTimeMsBetweenRpcs());
                    String failure = soakIteration(channelPerIteration ? null : shared, request, c);
                    done.incrementAndGet();
                    if (failure != null) {
                      failures.incrementAndGet();
                      failureLog.add(failure);
                    }
                    long pause = earliestNext - System.nanoTime();
                    if (pause > 0) {
                      TimeUnit.NANOSECONDS.sleep(pause); // rate limit asked for by the user
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : results) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new AssertionError("soak thread failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      threads.shutdownNow();
      if (shared != null) {
        shared.close();
        shared.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    check(
        done.get() == c.iterations(),
        "soak test ran out of its %d s after %d of %d iterations",
        c.overallTimeoutSeconds(),
        done.get(),
        c.iterations());
    check(
        failures.get() <= c.maxFailures(),
        "soak test had %d failures (max %d): %s",
        failures.get(),
        c.maxFailures(),
        failureLog);
  }

  /** One soak iteration; returns why it failed, or {@code null}. */
  private String soakIteration(ClientConn shared, SimpleRequest request, SoakConfig c)
      throws InterruptedException {
    long start = System.nanoTime();
    ClientConn conn = shared != null ? shared : channels.open();
    try {
      SimpleResponse response = blocking(conn).unaryCall(request);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (!Payloads.isZeros(response.getPayload().getBody(), c.responseSize())) {
        return "wrong payload of " + response.getPayload().getBody().size() + " bytes";
      }
      if (millis > c.maxAcceptableLatencyMs()) {
        return "took " + millis + " ms (max " + c.maxAcceptableLatencyMs() + ")";
      }
      return null;
    } catch (StatusRuntimeException e) {
      return "failed: " + e.getStatus();
    } finally {
      if (shared == null) {
        conn.close();
        conn.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
