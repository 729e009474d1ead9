package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries a service config asks for (gRFC A6), against a server that fails on purpose. */
class RetryEndToEndTest {
  private static final MethodDescriptor<StringValue, StringValue> FLAKY =
      MethodDescriptor.of(
          "switchboard.test.Flaky/Call", MethodType.UNARY, StringValue.class, StringValue.class);
  private static final String RETRY_CONFIG =
      "{\"methodConfig\": [{\"name\": [{\"service\": \"switchboard.test.Flaky\"}],"
          + " \"retryPolicy\": {\"maxAttempts\": 4, \"initialBackoff\": \"0.01s\","
          + " \"maxBackoff\": \"0.05s\", \"backoffMultiplier\": 2,"
          + " \"retryableStatusCodes\": [\"UNAVAILABLE\"]}}]}";

  /** The request text: "fail N CODE" fails the first N attempts with CODE, then echoes. */
  private final AtomicInteger attempts = new AtomicInteger();

  private final List<String> previousAttempts = Collections.synchronizedList(new ArrayList<>());
  private Server server;
  private final List<ClientConn> conns = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    ServiceDefinition flaky =
        ServiceDefinition.newBuilder("switchboard.test.Flaky")
            .addMethod(
                FLAKY,
                (call, headers) -> {
                  call.request(1);
                  previousAttempts.add(String.valueOf(headers.get("grpc-previous-rpc-attempts")));
                  int attempt = attempts.incrementAndGet();
                  return new ServerCallListener<StringValue>() {
                    @Override
                    public void onMessage(StringValue request) {
                      String[] parts = request.getValue().split(" ");
                      if (attempt <= Integer.parseInt(parts[1])) {
                        call.close(
                            Status.fromCodeValue(Integer.parseInt(parts[2]))
                                .withDescription("attempt " + attempt),
                            new Metadata());
                        return;
                      }
                      call.sendHeaders(new Metadata());
                      call.sendMessage(str("ok after " + attempt));
                      call.close(Status.OK, new Metadata());
                    }
                  };
                })
            .build();
    server =
        Servers.newServer(
                ServerOptions.newBuilder()
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .addService(flaky)
                    .build())
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (ClientConn c : conns) {
      c.close();
      assertTrue(c.awaitTermination(10, TimeUnit.SECONDS));
    }
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  private ClientConn dial(DialOptions.Builder options) throws Exception {
    ClientConn conn =
        ClientConns.newClient(
            Loopback.target(server), options.defaultServiceConfig(RETRY_CONFIG).build());
    conns.add(conn);
    return conn;
  }

  @Test
  void retryableFailuresAreRetriedUntilTheCallSucceeds() throws Exception {
    ClientConn conn = dial(Loopback.insecure());
    StringValue reply = Loopback.unary(conn, FLAKY, str("fail 2 14"), CallOptions.DEFAULT);
    assertEquals("ok after 3", reply.getValue());
    assertEquals(List.of("null", "1", "2"), previousAttempts, "grpc-previous-rpc-attempts");
  }

  @Test
  void theAttemptsAreCappedByMaxAttempts() throws Exception {
    ClientConn conn = dial(Loopback.insecure());
    RecordingListener<StringValue> l =
        Loopback.call(conn, FLAKY, CallOptions.DEFAULT, new Metadata(), str("fail 9 14"));
    Status status = l.awaitClose();
    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertEquals("attempt 4", status.getDescription());
    assertEquals(4, attempts.get());
  }

  @Test
  void aCodeThePolicyDoesNotNameIsNotRetried() throws Exception {
    ClientConn conn = dial(Loopback.insecure());
    RecordingListener<StringValue> l =
        Loopback.call(conn, FLAKY, CallOptions.DEFAULT, new Metadata(), str("fail 1 13"));
    assertEquals(Status.Code.INTERNAL, l.awaitClose().getCode());
    assertEquals(1, attempts.get());
  }

  @Test
  void disableRetryIgnoresThePolicy() throws Exception {
    ClientConn conn = dial(Loopback.insecure().disableRetry());
    RecordingListener<StringValue> l =
        Loopback.call(conn, FLAKY, CallOptions.DEFAULT, new Metadata(), str("fail 1 14"));
    assertEquals(Status.Code.UNAVAILABLE, l.awaitClose().getCode());
    assertEquals(1, attempts.get());
  }
}
