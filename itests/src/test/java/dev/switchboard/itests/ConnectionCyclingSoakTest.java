package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.clientconn.ClientConns;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A soak of our client and server with a max connection age short enough that connections cycle
 * many times while calls run (gRFC A9's two-step GOAWAY and the channel's reconnects), with client
 * keepalive on: every call must succeed.
 */
class ConnectionCyclingSoakTest {
  private static final int THREADS = 4;
  private static final int CALLS_PER_THREAD = 300;

  @Test
  void connectionsCycleManyTimesWithoutAFailedCall() throws Exception {
    Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
    ServerInterceptor recordConnection =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCallListener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            connections.add(call.getAttributes().get(TransportAttributes.REMOTE_ADDRESS));
            return next.startCall(call, headers);
          }
        };
    Server server =
        Loopback.start(
            new EchoService("soak"),
            ServerOptions.newBuilder()
                .insecure()
                .keepalive(
                    ServerKeepalive.newBuilder()
                        .maxConnectionAge(Duration.ofMillis(100))
                        .maxConnectionAgeGrace(Duration.ofSeconds(10))
                        .build())
                .intercept(recordConnection));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (ClientConn conn =
        ClientConns.newClient(
            Loopback.target(server),
            Loopback.insecure()
                .keepalive(ClientKeepalive.ofTime(ClientKeepalive.MIN_TIME))
                .build())) {
      List<Future<List<Status>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        results.add(
            pool.submit(
                () -> {
                  List<Status> failures = new ArrayList<>();
                  for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    Status s =
                        Loopback.call(
                                conn,
                                EchoService.UNARY,
                                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                                new Metadata(),
                                str("x" + i))
                            .awaitClose();
                    if (!s.isOk()) {
                      failures.add(s);
                    }
                  }
                  return failures;
                }));
      }
      List<Status> failures = new ArrayList<>();
      for (Future<List<Status>> f : results) {
        failures.addAll(f.get(120, TimeUnit.SECONDS));
      }
      assertEquals(List.of(), failures, "no call may fail while connections cycle");
      assertTrue(
          connections.size() >= 3,
          "connections should have cycled several times, saw " + connections.size());
    } finally {
      pool.shutdownNow();
      server.shutdownNow();
    }
  }
}
