package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hedged calls a service config asks for (gRFC A6 hedgingPolicy), over 127.0.0.1. */
class HedgingEndToEndTest {
  private static final MethodDescriptor<StringValue, StringValue> SLOW =
      MethodDescriptor.of(
          "switchboard.test.Slow/Call", MethodType.UNARY, StringValue.class, StringValue.class);
  private static final String HEDGING_CONFIG =
      "{\"methodConfig\": [{\"name\": [{\"service\": \"switchboard.test.Slow\"}],"
          + " \"hedgingPolicy\": {\"maxAttempts\": 3, \"hedgingDelay\": \"0.05s\","
          + " \"nonFatalStatusCodes\": [\"UNAVAILABLE\"]}}]}";

  /**
   * The request text says what attempts do: "hang N" never answers attempt N (until cancelled),
   * "fail N" fails attempts 1 to N with UNAVAILABLE; the others answer with their number.
   */
  private final AtomicInteger attempts = new AtomicInteger();

  private final List<String> previousAttempts = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch hungAttemptCancelled = new CountDownLatch(1);
  private Server server;
  private ClientConn conn;

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition slow =
        ServiceDefinition.newBuilder("switchboard.test.Slow")
            .addMethod(
                SLOW,
                (call, headers) -> {
                  call.request(1);
                  previousAttempts.add(String.valueOf(headers.get("grpc-previous-rpc-attempts")));
                  int attempt = attempts.incrementAndGet();
                  return new ServerCallListener<StringValue>() {
                    private boolean hung;

                    @Override
                    public void onMessage(StringValue request) {
                      String[] parts = request.getValue().split(" ");
                      int n = Integer.parseInt(parts[1]);
                      if (parts[0].equals("hang") && n == attempt) {
                        hung = true;
                        return;
                      }
                      if (parts[0].equals("fail") && attempt <= n) {
                        call.close(
                            Status.UNAVAILABLE.withDescription("attempt " + attempt),
                            new Metadata());
                        return;
                      }
                      call.sendHeaders(new Metadata());
                      call.sendMessage(str("answered by " + attempt));
                      call.close(Status.OK, new Metadata());
                    }

                    @Override
                    public void onCancel() {
                      if (hung) {
                        hungAttemptCancelled.countDown();
                      }
                    }
                  };
                })
            .build();
    server =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .addService(slow)
                    .build())
            .start();
    conn =
        ClientConns.newClient(
            Loopback.target(server),
            Loopback.insecure().defaultServiceConfig(HEDGING_CONFIG).build());
  }

  @AfterEach
  void stop() throws Exception {
    conn.close();
    assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static CallOptions deadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  @Test
  void aSecondHedgeAnswersForAHungFirstOneWhichIsCancelled() throws Exception {
    StringValue reply = Loopback.unary(conn, SLOW, str("hang 1"), deadline());
    // the second hedge, or the third when the machine is slow enough for its delay to pass too
    assertTrue(reply.getValue().matches("answered by [23]"), reply.getValue());
    assertTrue(
        hungAttemptCancelled.await(10, TimeUnit.SECONDS),
        "the losing hedge is cancelled on the server");
    assertEquals(
        List.of("null", "1"), previousAttempts.subList(0, 2), "grpc-previous-rpc-attempts");
  }

  @Test
  void aNonFatalFailureSendsTheNextHedgeAtOnce() throws Exception {
    StringValue reply = Loopback.unary(conn, SLOW, str("fail 1"), deadline());
    assertTrue(reply.getValue().matches("answered by [23]"), reply.getValue());
  }

  @Test
  void whenEveryHedgeFailsTheCallEndsWithAFailureAfterMaxAttempts() throws Exception {
    Status s = Loopback.call(conn, SLOW, deadline(), new Metadata(), str("fail 9")).awaitClose();
    assertEquals(Status.Code.UNAVAILABLE, s.getCode(), s.toString());
    assertTrue(s.getDescription().startsWith("attempt "), s.toString());
    assertEquals(3, attempts.get(), "maxAttempts hedges, no more");
  }
}
