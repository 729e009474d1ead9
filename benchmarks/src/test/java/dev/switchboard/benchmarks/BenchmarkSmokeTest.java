package dev.switchboard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.stub.ClientCallStreamObserver;
import dev.switchboard.api.stub.ClientResponseObserver;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.benchmarks.BenchmarkServer.ExecutorKind;
import dev.switchboard.benchmarks.proto.BenchmarkServiceSwitchboard;
import dev.switchboard.benchmarks.proto.Messages.SimpleRequest;
import dev.switchboard.benchmarks.proto.Messages.SimpleResponse;
import dev.switchboard.clientconn.ClientConns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A few seconds of real load over loopback: proves the server and the client work together in each
 * mode. Not a measurement (the build runs with PARANOID leak detection).
 */
@Timeout(60)
class BenchmarkSmokeTest {
  private Server server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private String startServer(ExecutorKind executor) throws Exception {
    return startServer(executor, false);
  }

  private String startServer(ExecutorKind executor, boolean tls) throws Exception {
    server = BenchmarkServer.start("127.0.0.1", 0, executor, 4 * 1024 * 1024, tls);
    return "127.0.0.1:" + server.port();
  }

  private static ClientConfig config(
      String address, boolean streaming, int payload, boolean direct, String authority) {
    return new ClientConfig(address, 2, 3, payload, payload, 1, 0, streaming, direct, authority);
  }

  private static void assertRan(BenchmarkClient.Result result) {
    assertNull(result.firstFailure(), () -> "failure: " + result.firstFailure());
    assertEquals(0, result.failedSlots());
    assertTrue(result.completed() > 10, "completed " + result.completed());
    assertTrue(result.qps() > 0);
  }

  @Test
  void unaryOnDefaultExecutor() throws Exception {
    String address = startServer(ExecutorKind.DEFAULT);
    ClientConfig withWarmup = new ClientConfig(address, 2, 3, 0, 0, 1, 1, false, false, "");
    assertRan(BenchmarkClient.run(withWarmup));
  }

  @Test
  void streamingPingPongOnEventLoopBothSides() throws Exception {
    String address = startServer(ExecutorKind.DIRECT);
    assertRan(BenchmarkClient.run(config(address, true, 0, true, "")));
  }

  @Test
  void payloadsAndForeignAuthorityOnForkJoin() throws Exception {
    // grpc-java's AsyncClient sends :authority foo.test.google.fr; the server must not care.
    String address = startServer(ExecutorKind.FORKJOIN);
    assertRan(BenchmarkClient.run(config(address, false, 64 * 1024, false, "foo.test.google.fr")));
  }

  private static ClientConfig clientFlags(String... args) throws Exception {
    return ClientConfig.from(Flags.parse(args, ClientConfig.FLAGS));
  }

  @Test
  void unaryWithARetryPolicyFromTheServiceConfigFlag() throws Exception {
    String address = startServer(ExecutorKind.DEFAULT);
    String retry =
        "{\"methodConfig\": [{\"name\": [{\"service\": \"grpc.testing.BenchmarkService\"}],"
            + " \"retryPolicy\": {\"maxAttempts\": 3, \"initialBackoff\": \"0.1s\","
            + " \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2,"
            + " \"retryableStatusCodes\": [\"UNAVAILABLE\"]}}]}";
    ClientConfig config =
        clientFlags(
            "--address=" + address,
            "--service_config_json=" + retry,
            "--duration=1",
            "--warmup_duration=0");
    assertEquals(retry, config.serviceConfigJson());
    assertRan(BenchmarkClient.run(config));
  }

  @Test
  void unaryOverTlsWithAsyncClientFlags() throws Exception {
    String address = startServer(ExecutorKind.DEFAULT, true);
    ClientConfig config =
        clientFlags(
            "--address=" + address,
            "--tls",
            "--testca",
            "--channels=2",
            "--outstanding_rpcs=3",
            "--client_payload=1024",
            "--server_payload=1024",
            "--duration=1",
            "--warmup_duration=0");
    assertEquals("foo.test.google.fr", config.effectiveAuthority());
    assertRan(BenchmarkClient.run(config));
  }

  @Test
  void handshakesOverTls() throws Exception {
    String address = startServer(ExecutorKind.DIRECT, true);
    BenchmarkClient.Result result =
        BenchmarkClient.run(
            clientFlags(
                "--address=" + address,
                "--tls",
                "--testca",
                "--handshakes=5",
                "--warmup_duration=0"));
    assertNull(result.firstFailure(), () -> "failure: " + result.firstFailure());
    assertEquals(0, result.failedSlots());
    assertEquals(5, result.completed());
    assertTrue(result.latencyNanos().getMinValue() > 0);
  }

  @Test
  void handshakesInPlaintext() throws Exception {
    String address = startServer(ExecutorKind.DEFAULT, false);
    BenchmarkClient.Result result =
        BenchmarkClient.run(
            clientFlags("--address=" + address, "--handshakes=3", "--warmup_duration=0"));
    assertNull(result.firstFailure(), () -> "failure: " + result.firstFailure());
    assertEquals(3, result.completed());
  }

  @Test
  void tlsServerIsReallyTls() throws Exception {
    String address = startServer(ExecutorKind.DEFAULT, true);
    // The platform's roots do not include the gRPC test CA: the handshake must fail.
    BenchmarkClient.Result untrusted =
        BenchmarkClient.run(
            clientFlags(
                "--address=" + address,
                "--tls",
                "--authority=foo.test.google.fr",
                "--handshakes=1",
                "--warmup_duration=0"));
    assertEquals(1, untrusted.failedSlots());
    assertTrue(untrusted.firstFailure() != null);
    assertEquals(0, untrusted.completed());
    // Nor does a plaintext client get an answer from it.
    BenchmarkClient.Result plaintext =
        BenchmarkClient.run(
            clientFlags("--address=" + address, "--handshakes=1", "--warmup_duration=0"));
    assertEquals(1, plaintext.failedSlots());
    assertEquals(0, plaintext.completed());
  }

  @Test
  void printsAsyncClientLines() throws Exception {
    String address = startServer(ExecutorKind.DEFAULT);
    ClientConfig config = config(address, false, 10, false, "");
    BenchmarkClient.Result result = BenchmarkClient.run(config);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BenchmarkClient.printStats(
        config, result, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String prefix :
        new String[] {
          "50%ile Latency (in micros):",
          "90%ile Latency (in micros):",
          "99%ile Latency (in micros):",
          "99.9%ile Latency (in micros):",
          "Maximum Latency (in micros):",
          "QPS:"
        }) {
      assertTrue(
          out.lines().anyMatch(l -> l.startsWith(prefix) && l.matches(".*:\\s+\\d+$")),
          prefix + " missing in\n" + out);
    }
  }

  @Test
  void takesAsyncClientFlags() throws Exception {
    // Exactly what grpc-java-bench.sh --client-cmd appends.
    Flags flags =
        Flags.parse(
            new String[] {
              "--address=127.0.0.1:1",
              "--channels=1",
              "--outstanding_rpcs=64",
              "--client_payload=0",
              "--server_payload=1048576",
              "--duration=10",
              "--warmup_duration=5",
              "--transport=netty_nio",
              "--streaming_rpcs"
            },
            ClientConfig.FLAGS);
    ClientConfig c = ClientConfig.from(flags);
    assertEquals(64, c.outstandingPerChannel());
    assertEquals(1048576, c.serverPayload());
    assertTrue(c.streaming());
    assertThrows(
        Flags.UsageException.class,
        () -> Flags.parse(new String[] {"--chanels=1"}, ClientConfig.FLAGS));
    assertThrows(Flags.UsageException.class, () -> clientFlags("--address=x:1", "--testca"));
    assertThrows(
        Flags.UsageException.class,
        () ->
            ClientConfig.from(
                Flags.parse(
                    new String[] {"--address=x:1", "--transport=okhttp"}, ClientConfig.FLAGS)));
  }

  @Test
  void otherMethodsBehaveLikeGrpcJavas() throws Exception {
    String address = startServer(ExecutorKind.DEFAULT);
    ClientConn conn =
        ClientConns.newClient(
            address, DialOptions.newBuilder().insecure().block(Duration.ofSeconds(10)).build());
    try {
      var stub = BenchmarkServiceSwitchboard.newStub(conn);
      SimpleRequest small = SimpleRequest.newBuilder().setResponseSize(7).build();

      // StreamingFromClient answers the last request after the half-close.
      CompletableFuture<SimpleResponse> last = new CompletableFuture<>();
      StreamObserver<SimpleRequest> requests = stub.streamingFromClient(futureOf(last));
      requests.onNext(SimpleRequest.newBuilder().setResponseSize(1).build());
      requests.onNext(SimpleRequest.newBuilder().setResponseSize(3).build());
      requests.onCompleted();
      assertEquals(3, last.get(10, TimeUnit.SECONDS).getPayload().getBody().size());

      // StreamingFromServer sends until the client cancels.
      AtomicInteger received = new AtomicInteger();
      CompletableFuture<Throwable> ended = new CompletableFuture<>();
      stub.streamingFromServer(
          small,
          new ClientResponseObserver<SimpleRequest, SimpleResponse>() {
            private ClientCallStreamObserver<SimpleRequest> call;

            @Override
            public void beforeStart(ClientCallStreamObserver<SimpleRequest> requestStream) {
              call = requestStream;
            }

            @Override
            public void onNext(SimpleResponse value) {
              assertEquals(7, value.getPayload().getBody().size());
              if (received.incrementAndGet() == 100) {
                call.cancel("enough", null);
              }
            }

            @Override
            public void onError(Throwable t) {
              ended.complete(t);
            }

            @Override
            public void onCompleted() {
              ended.complete(null);
            }
          });
      assertTrue(ended.get(10, TimeUnit.SECONDS) != null, "ends cancelled");
      assertTrue(received.get() >= 100);
    } finally {
      conn.close();
      conn.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static <T> StreamObserver<T> futureOf(CompletableFuture<T> future) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        future.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        future.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        future.complete(null);
      }
    };
  }
}
