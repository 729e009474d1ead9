package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server handler that calls another service passes its deadline and cancellation on without code:
 * the downstream call is made while the incoming call's context is current.
 */
class ContextPropagationTest {
  private static final MethodDescriptor<StringValue, StringValue> FRONT =
      MethodDescriptor.of(
          "switchboard.test.Front/Relay", MethodType.UNARY, StringValue.class, StringValue.class);

  private final EchoService backend = new EchoService("backend");
  private final CompletableFuture<Status> downstreamStatus = new CompletableFuture<>();
  private volatile long downstreamEndedAt; // System.nanoTime() when downstreamStatus completed
  private final CompletableFuture<Deadline> backendSawDeadline = new CompletableFuture<>();
  private Server backendServer;
  private Server frontServer;
  private ClientConn toBackend;
  private ClientConn toFront;

  @BeforeEach
  void setUp() throws Exception {
    backendServer =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .addService(backend.definition())
                    .intercept(
                        new ServerInterceptor() {
                          @Override
                          public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
                              ServerCall<ReqT, RespT> call,
                              Metadata headers,
                              ServerCallHandler<ReqT, RespT> next) {
                            backendSawDeadline.complete(call.getDeadline());
                            return next.startCall(call, headers);
                          }
                        })
                    .build())
            .start();
    toBackend = ClientConns.newClient(Loopback.target(backendServer), Loopback.insecure().build());
    ServiceDefinition front =
        ServiceDefinition.newBuilder("switchboard.test.Front")
            .addMethod(
                FRONT,
                (call, headers) -> {
                  call.request(1);
                  return new ServerCallListener<>() {
                    @Override
                    public void onMessage(StringValue request) {
                      // No deadline or cancellation passed by hand: the context carries them.
                      RecordingListener<StringValue> downstream = new RecordingListener<>();
                      ClientStream<StringValue, StringValue> c =
                          toBackend.newStream(EchoService.HANG, CallOptions.DEFAULT);
                      c.start(downstream, new Metadata());
                      c.request(1);
                      c.sendMessage(request);
                      c.halfClose();
                      downstream.status.whenComplete(
                          (s, e) -> {
                            downstreamEndedAt = System.nanoTime();
                            downstreamStatus.complete(s);
                          });
                    }
                  };
                })
            .build();
    frontServer =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .addService(front)
                    .build())
            .start();
    toFront = ClientConns.newClient(Loopback.target(frontServer), Loopback.insecure().build());
  }

  @AfterEach
  void tearDown() throws Exception {
    backend.release.countDown();
    for (ClientConn c : new ClientConn[] {toFront, toBackend}) {
      c.close();
      assertTrue(c.awaitTermination(10, TimeUnit.SECONDS));
    }
    for (Server s : new Server[] {frontServer, backendServer}) {
      s.shutdownNow();
      assertTrue(s.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void theDownstreamCallTakesTheIncomingDeadline() throws Exception {
    long start = System.nanoTime();
    RecordingListener<StringValue> l =
        Loopback.call(
            toFront,
            FRONT,
            CallOptions.DEFAULT.withDeadlineAfter(3, TimeUnit.SECONDS),
            new Metadata(),
            str("x"));
    Deadline seen = backendSawDeadline.get(10, TimeUnit.SECONDS);
    assertNotNull(seen, "the backend got a grpc-timeout");
    assertTrue(seen.timeRemaining(TimeUnit.MILLISECONDS) <= 3000, "no later than the caller's");
    assertEquals(Status.Code.DEADLINE_EXCEEDED, l.awaitClose().getCode());
    // At the deadline three timers fire together: the caller's (its RST_STREAM ends the incoming
    // call), the front server's and the downstream call's own, inherited one. The downstream call
    // ends by its deadline or, when the caller's RST_STREAM arrives first, with the incoming call
    // it was made for: either way at the incoming deadline, never before it.
    Status downstream = downstreamStatus.get(10, TimeUnit.SECONDS);
    assertTrue(
        downstream.getCode() == Status.Code.DEADLINE_EXCEEDED
            || (downstream.getCode() == Status.Code.CANCELLED
                && downstream.getDescription().contains("the call it was made for ended")),
        "the downstream call ends with the incoming deadline: " + downstream);
    assertTrue(
        TimeUnit.NANOSECONDS.toMillis(downstreamEndedAt - start) >= 2_900,
        "ended at the deadline, not before it");
  }

  @Test
  void cancellingTheIncomingCallCancelsTheDownstreamOne() throws Exception {
    RecordingListener<StringValue> l = new RecordingListener<>();
    ClientStream<StringValue, StringValue> call = toFront.newStream(FRONT, CallOptions.DEFAULT);
    call.start(l, new Metadata());
    call.request(1);
    call.sendMessage(str("x"));
    call.halfClose();
    assertEquals("started", backend.events.poll(10, TimeUnit.SECONDS), "the downstream call runs");

    call.cancel("the user gave up", null);

    Status downstream = downstreamStatus.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.CANCELLED, downstream.getCode());
    assertTrue(
        downstream.getDescription().contains("the call it was made for ended"),
        downstream.getDescription());
    assertEquals("cancelled", backend.events.poll(10, TimeUnit.SECONDS), "and the backend sees it");
  }
}
