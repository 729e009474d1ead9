package dev.switchboard.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.CallStreamObserver;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The canonical backpressure pattern, on both sides, over loopback: each side sends only {@code
 * while (isReady())} and otherwise waits for {@code onReady}, so a single {@code onReady} that
 * comes while {@code isReady()} still says false stalls the call until its deadline. Many bidi
 * calls: most are made before their server is up, so they wait in the picker and their first
 * message (slow to compress) is replayed on the new connection while its stream already reports
 * ready (the race of issue 7: 3 to 22 of 288 calls stalled before the fix); the rest are picked at
 * once on connected channels. Half the channels run callbacks on the pool, half directly on the
 * transport's threads. Each call sends five times the transport's 32 KiB ready threshold in both
 * directions; every call must finish with every message counted.
 */
class BackpressureStressTest {
  private static final MethodDescriptor<BytesValue, BytesValue> FLOOD =
      MethodDescriptor.of(
          "switchboard.test.Backpressure/Flood",
          MethodType.BIDI_STREAMING,
          BytesValue.class,
          BytesValue.class);
  private static final int MESSAGES = 40;
  private static final BytesValue PAYLOAD =
      BytesValue.of(ByteString.copyFrom(new byte[4 * 1024])); // x 40 = 160 KiB

  /** 1 MiB of zeros: slow to compress, tiny once compressed. */
  private static final BytesValue HELLO = BytesValue.of(ByteString.copyFrom(new byte[1 << 20]));

  private static final int ROUNDS = 6;
  private static final int CALLS_PER_ROUND = 24;

  private final List<Server> servers = new ArrayList<>();
  private final List<ClientConn> conns = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ClientConn conn : conns) {
      conn.close();
      assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
    }
    for (Server server : servers) {
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void everyCallFinishesWhetherItWaitedForAConnectionOrNot() throws Exception {
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      // Calls made before the server is up wait in the picker; they are replayed on the new
      // connection, on the pool or (direct executor) on the channel's own threads.
      int port = Loopback.freePort();
      DialOptions.Builder options = Loopback.insecure();
      if (round % 2 == 1) {
        options.executor(Runnable::run);
      }
      ClientConn conn = dial(port, options);
      for (int i = 0; i < CALLS_PER_ROUND; i++) {
        calls.add(
            flood(
                conn,
                CallOptions.DEFAULT.withWaitForReady(),
                "round " + round + ", queued call " + i));
      }
      startServer(port);
    }
    for (CompletableFuture<String> call : List.copyOf(calls)) {
      call.get(30, TimeUnit.SECONDS); // every channel is connected now, stalled calls aside
    }
    for (ClientConn conn : conns) { // calls picked at once, on connected channels
      for (int i = 0; i < CALLS_PER_ROUND; i++) {
        calls.add(flood(conn, CallOptions.DEFAULT, "connected call " + i));
      }
    }
    List<String> failures = new ArrayList<>();
    for (CompletableFuture<String> call : calls) {
      try {
        String problem = call.get(40, TimeUnit.SECONDS);
        if (problem != null) {
          failures.add(problem);
        }
      } catch (TimeoutException e) {
        failures.add("a call did not finish within 60 s");
      }
    }
    assertEquals(
        0,
        failures.size(),
        failures.size()
            + " of "
            + calls.size()
            + " calls failed, e.g. "
            + failures.subList(0, Math.min(3, failures.size())));
  }

  private void startServer(int port) throws Exception {
    ServiceDefinition service =
        ServiceDefinition.newBuilder("switchboard.test.Backpressure")
            .addMethod(FLOOD, ServerCalls.asyncBidiStreamingCall(BackpressureStressTest::serve))
            .build();
    servers.add(
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", port)
                    .addService(service)
                    .build())
            .start());
  }

  private ClientConn dial(int port, DialOptions.Builder options) throws Exception {
    ClientConn conn = ClientConns.newClient("127.0.0.1:" + port, options.build());
    conns.add(conn);
    return conn;
  }

  /**
   * One call of the pattern on the raw call API: a first message sent at once (large but
   * compressible, so that encoding it takes a while and its frame stays under the ready threshold:
   * the replay of a call queued in the picker is slow while the new transport stream reports ready
   * at once), then {@link #MESSAGES} more sent only while ready. Completes with null, or with what
   * went wrong.
   */
  private static CompletableFuture<String> flood(
      ClientConn conn, CallOptions options, String name) {
    CompletableFuture<String> result = new CompletableFuture<>();
    ClientStream<BytesValue, BytesValue> call =
        conn.newStream(
            FLOOD, options.withDeadlineAfter(20, TimeUnit.SECONDS).withCompression("gzip"));
    Sender sender = new Sender(call);
    call.start(
        new ClientStreamListener<>() {
          private int received;

          @Override
          public void onMessage(BytesValue message) {
            received++;
            call.request(1);
          }

          @Override
          public void onReady() {
            sender.sendWhileReady();
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            result.complete(
                !status.isOk()
                    ? name + ": " + status
                    : received == MESSAGES
                        ? null
                        : name + ": received " + received + " of " + MESSAGES);
          }
        },
        new Metadata());
    call.request(1);
    sender.sendHelloThenWhileReady();
    return result;
  }

  /**
   * The client's sending side: the first message, then payloads while ready. The test thread and
   * the callback thread both send, so they take turns under this object's lock.
   */
  private static final class Sender {
    private final ClientStream<BytesValue, BytesValue> call;
    private boolean helloSent;
    private int sent;

    Sender(ClientStream<BytesValue, BytesValue> call) {
      this.call = call;
    }

    synchronized void sendHelloThenWhileReady() {
      call.setMessageCompression(true);
      call.sendMessage(HELLO);
      call.setMessageCompression(false);
      helloSent = true;
      sendWhileReady();
    }

    synchronized void sendWhileReady() {
      if (!helloSent || sent > MESSAGES) {
        return;
      }
      while (sent < MESSAGES && call.isReady()) {
        call.sendMessage(PAYLOAD);
        sent++;
      }
      if (sent == MESSAGES) {
        sent++;
        call.halfClose();
      }
    }
  }

  /** The server side: the same pattern for responses; counts requests. */
  private static StreamObserver<BytesValue> serve(StreamObserver<BytesValue> responses) {
    ServerCallStreamObserver<BytesValue> out = (ServerCallStreamObserver<BytesValue>) responses;
    SendWhileReady sender = new SendWhileReady(out);
    out.setOnReadyHandler(sender);
    return new StreamObserver<>() {
      private int received;

      @Override
      public void onNext(BytesValue value) {
        if (value.getValue().size() == PAYLOAD.getValue().size()) {
          received++;
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        sender.peerDone(received);
      }
    };
  }

  /**
   * Sends {@link #MESSAGES} payloads only while the stream is ready, then completes (the server
   * once the client has half-closed too, after checking it got all of the client's messages). Runs
   * on the call's callback thread, like every handler.
   */
  private static final class SendWhileReady implements Runnable {
    private final CallStreamObserver<BytesValue> out;
    private int sent;
    private boolean peerDone;
    private boolean completed;

    SendWhileReady(CallStreamObserver<BytesValue> out) {
      this.out = out;
    }

    @Override
    public void run() {
      while (sent < MESSAGES && out.isReady()) {
        out.onNext(PAYLOAD);
        sent++;
      }
      maybeComplete();
    }

    void peerDone(int received) {
      if (received != MESSAGES) {
        out.onError(
            Status.INTERNAL
                .withDescription("server received " + received + " of " + MESSAGES)
                .asException());
        completed = true;
        return;
      }
      peerDone = true;
      maybeComplete();
    }

    private void maybeComplete() {
      boolean server = out instanceof ServerCallStreamObserver;
      if (!completed && sent == MESSAGES && (peerDone || !server)) {
        completed = true;
        out.onCompleted();
      }
    }
  }
}
