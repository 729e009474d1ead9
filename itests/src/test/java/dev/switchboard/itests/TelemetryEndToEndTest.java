package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Context;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The telemetry SPI on real calls over loopback sockets: what a recording provider sees on both
 * sides, in order, with message sizes, retries, trace headers and the server's filtered context.
 */
class TelemetryEndToEndTest {
  private final RecordingTelemetry client = new RecordingTelemetry("client-recorder");
  private final RecordingTelemetry server = new RecordingTelemetry("server-recorder");
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<ClientConn> conns = new ArrayList<>();
  private final List<TelemetryProvider> installed = new ArrayList<>();
  private Server srv;

  @AfterEach
  void stop() throws Exception {
    for (TelemetryProvider p : installed) {
      TelemetryRegistry.getDefaultRegistry().deregister(p);
    }
    for (ClientConn c : conns) {
      c.close();
      assertTrue(c.awaitTermination(10, TimeUnit.SECONDS));
    }
    if (srv != null) {
      srv.shutdownNow();
      assertTrue(srv.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private void startServer(ServerOptions.Builder options) throws Exception {
    srv =
        Servers.newServer(
                options
                    .insecure()
                    .listen("127.0.0.1", 0)
                    .addService(TracedService.definition(attempts))
                    .build())
            .start();
  }

  private void startServer() throws Exception {
    startServer(ServerOptions.newBuilder().addTelemetry(server).installedTelemetry(false));
  }

  private ClientConn dial(DialOptions.Builder options) throws Exception {
    ClientConn conn =
        ClientConns.newClient(
            Loopback.target(srv),
            options.insecure().defaultServiceConfig(TracedService.RETRY_CONFIG).build());
    conns.add(conn);
    return conn;
  }

  private ClientConn dial() throws Exception {
    return dial(DialOptions.newBuilder().addTelemetry(client).installedTelemetry(false));
  }

  @Test
  void unarySuccessIsTracedInOrderOnBothSides() throws Exception {
    startServer();
    ClientConn conn = dial();
    assertEquals(
        "hello",
        Loopback.unary(conn, TracedService.UNARY, str("hello"), CallOptions.DEFAULT).getValue());
    // "hello" as a StringValue: tag, length, 5 bytes
    RecordingTelemetry.ClientCall c = client.nextClientCall();
    assertEquals(TracedService.UNARY, c.info.method());
    assertEquals(Loopback.target(srv), c.info.target());
    assertEquals(
        List.of(
            "attempt 0 false",
            "0:outHeaders",
            "0:out 0 7 7",
            "0:inHeaders",
            "0:in 0 7 7",
            "0:trailers",
            "0:ended OK",
            "callEnded OK"),
        c.awaitEnd());
    RecordingTelemetry.ServerCall s = server.nextServerCall();
    assertEquals(
        List.of("filterContext", "in 0 7 7", "outHeaders", "out 0 7 7", "callEnded OK"),
        s.awaitEnd());
    assertEquals(TracedService.NAME + "/Unary", s.info.fullMethodName());
    assertTrue(s.info.registeredMethod());
    assertEquals("attempt-0", s.info.headers().get("x-traced"), "the client tracer's entry");
    assertEquals("127.0.0.1:" + srv.port(), s.info.authority());
  }

  @Test
  void failureStatusIsTheOneTheListenerAndTheHandlerSaw() throws Exception {
    startServer();
    ClientConn conn = dial();
    RecordingListener<StringValue> l =
        Loopback.call(
            conn, TracedService.UNARY, CallOptions.DEFAULT, new Metadata(), str("code 5"));
    assertEquals(Status.Code.NOT_FOUND, l.awaitClose().getCode());
    assertEquals(
        List.of(
            "attempt 0 false",
            "0:outHeaders",
            "0:out 0 8 8",
            "0:inHeaders",
            "0:trailers",
            "0:ended NOT_FOUND",
            "callEnded NOT_FOUND"),
        client.nextClientCall().awaitEnd());
    assertEquals(
        List.of("filterContext", "in 0 8 8", "outHeaders", "callEnded NOT_FOUND"),
        server.nextServerCall().awaitEnd());
  }

  @Test
  void serverStreamingCountsEveryMessage() throws Exception {
    startServer();
    ClientConn conn = dial();
    RecordingListener<StringValue> l =
        Loopback.call(conn, TracedService.STREAM, CallOptions.DEFAULT, new Metadata(), str("3"));
    assertEquals(Status.Code.OK, l.awaitClose().getCode());
    assertEquals(
        List.of(
            "attempt 0 false",
            "0:outHeaders",
            "0:out 0 3 3",
            "0:inHeaders",
            "0:in 0 4 4",
            "0:in 1 4 4",
            "0:in 2 4 4",
            "0:trailers",
            "0:ended OK",
            "callEnded OK"),
        client.nextClientCall().awaitEnd());
    assertEquals(
        List.of(
            "filterContext",
            "in 0 3 3",
            "outHeaders",
            "out 0 4 4",
            "out 1 4 4",
            "out 2 4 4",
            "callEnded OK"),
        server.nextServerCall().awaitEnd());
  }

  @Test
  void gzipSizesAreOnTheWireAndUncompressed() throws Exception {
    startServer();
    ClientConn conn = dial();
    String big = "a".repeat(1000); // 1003 bytes as a StringValue, a few dozen compressed
    RecordingListener<StringValue> l =
        Loopback.call(
            conn,
            TracedService.UNARY,
            CallOptions.DEFAULT.withCompression("gzip"),
            new Metadata(),
            str(big));
    assertEquals(Status.Code.OK, l.awaitClose().getCode());
    List<String> events = client.nextClientCall().awaitEnd();
    String[] out = events.get(2).split(" ");
    assertEquals("0:out", out[0]);
    long wire = Long.parseLong(out[2]);
    assertEquals(1003, Long.parseLong(out[3]), events.toString());
    assertTrue(wire > 0 && wire < 100, "compressed size " + wire);
    String[] in = server.nextServerCall().awaitEnd().get(1).split(" ");
    assertEquals(List.of("in", "0", Long.toString(wire), "1003"), List.of(in));
  }

  @Test
  void retriesOfTheRetryPolicyAreAttempts() throws Exception {
    startServer();
    ClientConn conn = dial();
    assertEquals(
        "fail 2",
        Loopback.unary(conn, TracedService.UNARY, str("fail 2"), CallOptions.DEFAULT).getValue());
    List<String> events = client.nextClientCall().awaitEnd();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      expected.addAll(
          List.of(
              "attempt " + i + " false",
              i + ":outHeaders",
              i + ":out 0 8 8",
              i + ":trailers",
              i + ":ended UNAVAILABLE"));
    }
    expected.addAll(
        List.of(
            "attempt 2 false",
            "2:outHeaders",
            "2:out 0 8 8",
            "2:inHeaders",
            "2:in 0 8 8",
            "2:trailers",
            "2:ended OK",
            "callEnded OK"));
    assertEquals(expected, events);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordingTelemetry.ServerCall s = server.nextServerCall();
      s.awaitEnd();
      seen.add(s.info.headers().get("x-traced"));
    }
    assertEquals(List.of("attempt-0", "attempt-1", "attempt-2"), seen, "one entry per attempt");
  }

  @Test
  void aHedgeThatWinsEndsTheOtherAttemptCancelledOnBothSidesOnce() throws Exception {
    startServer();
    ClientConn conn = dial();
    assertEquals(
        "h", Loopback.unary(conn, TracedService.HEDGED, str("h"), CallOptions.DEFAULT).getValue());
    RecordingTelemetry.ClientCall call = client.nextClientCall();
    call.awaitEnd();
    List<String> events = call.awaitEvent("0:ended");
    assertEquals(
        List.of("attempt 0 false", "0:outHeaders", "0:out 0 3 3", "0:ended CANCELLED"),
        events.stream().filter(e -> e.startsWith("0:") || e.startsWith("attempt 0")).toList(),
        "the first attempt, hung, is cancelled when the hedge commits: " + events);
    assertEquals(
        List.of(
            "attempt 1 false",
            "1:outHeaders",
            "1:out 0 3 3",
            "1:inHeaders",
            "1:in 0 3 3",
            "1:trailers",
            "1:ended OK"),
        events.stream().filter(e -> e.startsWith("1:") || e.startsWith("attempt 1")).toList(),
        "the hedge: " + events);
    assertEquals(
        1, events.stream().filter(e -> e.startsWith("callEnded")).count(), "callEnded once");
    assertTrue(events.contains("callEnded OK"), events.toString());

    Map<String, List<String>> byAttempt = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      RecordingTelemetry.ServerCall s = server.nextServerCall();
      byAttempt.put(s.info.headers().get("x-traced"), s.awaitEnd());
    }
    List<String> hung = byAttempt.get("attempt-0");
    List<String> winner = byAttempt.get("attempt-1");
    assertEquals(List.of("filterContext", "in 0 3 3", "callEnded CANCELLED"), hung, "hung attempt");
    assertEquals(
        List.of("filterContext", "in 0 3 3", "outHeaders", "out 0 3 3", "callEnded OK"),
        winner,
        "winning hedge");
    assertTrue(server.serverCalls.isEmpty(), "two attempts, two server calls");
  }

  @Test
  void headersAddedByTheClientTracerReachTheHandler() throws Exception {
    startServer();
    ClientConn conn = dial();
    assertEquals(
        "attempt-0",
        Loopback.unary(conn, TracedService.UNARY, str("header"), CallOptions.DEFAULT).getValue());
  }

  @Test
  void theFilteredContextIsCurrentInTheHandler() throws Exception {
    startServer();
    ClientConn conn = dial();
    assertEquals(
        "traced " + TracedService.NAME + "/Unary",
        Loopback.unary(conn, TracedService.UNARY, str("context"), CallOptions.DEFAULT).getValue());
  }

  @Test
  void unimplementedCallsAreTracedAsUnregistered() throws Exception {
    startServer();
    ClientConn conn = dial();
    RecordingListener<StringValue> l =
        Loopback.call(conn, TracedService.MISSING, CallOptions.DEFAULT, new Metadata(), str("x"));
    assertEquals(Status.Code.UNIMPLEMENTED, l.awaitClose().getCode());
    RecordingTelemetry.ServerCall s = server.nextServerCall();
    assertEquals(List.of("callEnded UNIMPLEMENTED"), s.awaitEnd());
    assertEquals(TracedService.NAME + "/Missing", s.info.fullMethodName());
    assertFalse(s.info.registeredMethod());
    List<String> events = client.nextClientCall().awaitEnd();
    assertEquals("callEnded UNIMPLEMENTED", events.get(events.size() - 1));
  }

  @Test
  void aCallEndingBeforeAnyAttemptIsTracedToo() throws Exception {
    startServer();
    ClientConn conn = dial();
    RecordingListener<StringValue> l =
        Loopback.call(
            conn,
            TracedService.UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(-1, TimeUnit.SECONDS),
            new Metadata(),
            str("x"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, l.awaitClose().getCode());
    assertEquals(List.of("callEnded DEADLINE_EXCEEDED"), client.nextClientCall().awaitEnd());
  }

  @Test
  void aThrowingTracerDoesNotBreakCalls() throws Exception {
    startServer(
        ServerOptions.newBuilder()
            .addTelemetry(new ThrowingTelemetry())
            .addTelemetry(server)
            .installedTelemetry(false));
    ClientConn conn =
        dial(
            DialOptions.newBuilder()
                .addTelemetry(new ThrowingTelemetry())
                .addTelemetry(client)
                .installedTelemetry(false));
    assertEquals(
        "x", Loopback.unary(conn, TracedService.UNARY, str("x"), CallOptions.DEFAULT).getValue());
    RecordingListener<StringValue> l =
        Loopback.call(conn, TracedService.STREAM, CallOptions.DEFAULT, new Metadata(), str("2"));
    assertEquals(Status.Code.OK, l.awaitClose().getCode());
    assertEquals(2, l.messages.size());
    assertEquals("callEnded OK", client.nextClientCall().awaitEnd().get(7));
    assertEquals("callEnded OK", server.nextServerCall().awaitEnd().get(4));
  }

  @Test
  void installedProvidersTraceUnlessLeftOut() throws Exception {
    RecordingTelemetry global = new RecordingTelemetry("itest-installed");
    TelemetryRegistry.getDefaultRegistry().register(global);
    installed.add(global);
    startServer(ServerOptions.newBuilder().addTelemetry(server));
    ClientConn withInstalled = dial(DialOptions.newBuilder().addTelemetry(client));
    Loopback.unary(withInstalled, TracedService.UNARY, str("a"), CallOptions.DEFAULT);
    client.nextClientCall().awaitEnd();
    server.nextServerCall().awaitEnd();
    global.nextClientCall().awaitEnd();
    global.nextServerCall().awaitEnd();

    ClientConn own = dial();
    Loopback.unary(own, TracedService.UNARY, str("b"), CallOptions.DEFAULT);
    client.nextClientCall().awaitEnd();
    server.nextServerCall().awaitEnd();
    global.nextServerCall().awaitEnd(); // the server still has the installed ones
    assertTrue(global.clientCalls.isEmpty(), "the channel left the installed provider out");
  }

  /** A provider whose tracers throw from every method. */
  private static final class ThrowingTelemetry implements TelemetryProvider {
    @Override
    public String name() {
      return "throwing";
    }

    @Override
    public ClientCallTracer.Factory clientCallTracers() {
      return info ->
          new ClientCallTracer() {
            @Override
            public ClientAttemptTracer newAttempt(int previous, boolean transparent) {
              return new ClientAttemptTracer() {
                @Override
                public void outboundHeaders(Metadata headers) {
                  throw new IllegalStateException("boom");
                }

                @Override
                public void inboundHeaders(Metadata headers) {
                  throw new IllegalStateException("boom");
                }

                @Override
                public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
                  throw new IllegalStateException("boom");
                }

                @Override
                public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
                  throw new IllegalStateException("boom");
                }

                @Override
                public void inboundTrailers(Metadata trailers) {
                  throw new IllegalStateException("boom");
                }

                @Override
                public void attemptEnded(Status status) {
                  throw new IllegalStateException("boom");
                }
              };
            }

            @Override
            public void callEnded(Status status) {
              throw new IllegalStateException("boom");
            }
          };
    }

    @Override
    public ServerCallTracer.Factory serverCallTracers() {
      return info ->
          new ServerCallTracer() {
            @Override
            public Context filterContext(Context context) {
              throw new IllegalStateException("boom");
            }

            @Override
            public void outboundHeaders(Metadata headers) {
              throw new IllegalStateException("boom");
            }

            @Override
            public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
              throw new IllegalStateException("boom");
            }

            @Override
            public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
              throw new IllegalStateException("boom");
            }

            @Override
            public void callEnded(Status status) {
              throw new IllegalStateException("boom");
            }
          };
    }
  }
}
