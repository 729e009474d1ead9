package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.transport.netty.RawHttp2Connection.Frame;
import dev.switchboard.transport.netty.RawHttp2Connection.Response;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server keepalive and connection management over 127.0.0.1: a dead client is closed, max age and
 * max idle close gracefully with two GOAWAYs without failing a call in flight, the age grace ends
 * calls that outstay it.
 */
class ServerKeepaliveLoopbackTest {
  private NettyTransportProvider provider;
  private ClientTransportFactory factory;
  private TestServer server;

  @BeforeEach
  void setUp() {
    provider = new NettyTransportProvider();
    factory = TestClient.factory(provider);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    factory.close();
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void deadClientIsClosedWithinTimePlusTimeout() throws Exception {
    server =
        start(
            ServerKeepalive.newBuilder()
                .time(Duration.ofMillis(200))
                .timeout(Duration.ofMillis(300))
                .build());
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address())) {
      long start = System.nanoTime(); // the server's last read comes after this
      raw.handshake();
      assertTrue(raw.closedByPeer(), "reads without ever answering a PING");
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(elapsedMillis >= 450, "closed after " + elapsedMillis + " ms");
      assertTrue(elapsedMillis < 5_000, "took " + elapsedMillis + " ms");
    }
    assertTrue(server.connectionTerminated.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void liveClientAnswersTheServersPingsAndStays() throws Exception {
    server =
        start(
            ServerKeepalive.newBuilder()
                .time(Duration.ofMillis(100))
                .timeout(Duration.ofMillis(300))
                .build());
    Connection c = TestClient.connect(factory, server.address());
    try {
      assertThrows(
          TimeoutException.class,
          () -> c.listener().shutdown.get(1, TimeUnit.SECONDS),
          "Netty's client acknowledges every PING");
      assertEchoes(c);
    } finally {
      c.shutdownAndAwait();
    }
  }

  @Test
  void maxAgeSendsTwoGoAwaysAndTheCallInFlightCompletes() throws Exception {
    server = start(ServerKeepalive.newBuilder().maxConnectionAge(Duration.ofMillis(300)).build());
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address())) {
      raw.handshake();
      raw.writeHeaders(1, request("test/Hold"), false);
      TestServer.Call call = server.nextCall();
      Frame first = raw.awaitFrame(RawHttp2Connection.GOAWAY);
      assertEquals(Integer.MAX_VALUE, lastStreamId(first), "first GOAWAY: any stream may come");
      assertEquals(0, errorCode(first), "NO_ERROR");
      raw.awaitFrame(RawHttp2Connection.PING); // acknowledged by the raw client
      Frame second = raw.awaitFrame(RawHttp2Connection.GOAWAY);
      assertEquals(1, lastStreamId(second), "second GOAWAY: the last stream accepted");
      call.stream.writeHeaders(new Metadata());
      call.stream.close(Status.OK, new Metadata());
      Response response = raw.readResponse(1);
      assertEquals("0", response.header("grpc-status"), "the call in flight completed OK");
      assertTrue(raw.closedByPeer(), "closed once its last call is done");
    }
    assertTrue(server.connectionTerminated.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void maxAgeLetsTheCallInFlightFinishAndTheNextCallUsesANewConnection() throws Exception {
    server = start(ServerKeepalive.newBuilder().maxConnectionAge(Duration.ofMillis(300)).build());
    Connection c = TestClient.connect(factory, server.address());
    Call inFlight = c.call("test/Hold");
    inFlight.stream().request(1);
    TestServer.Call serverCall = server.nextCall();
    Status goAway = c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertCode(Status.UNAVAILABLE, goAway);
    assertTrue(goAway.getDescription().contains("GOAWAY"), goAway.toString());
    serverCall.stream.writeHeaders(new Metadata());
    serverCall.stream.writeMessage(
        "late".getBytes(StandardCharsets.UTF_8), ByteArrayMarshaller.INSTANCE);
    serverCall.stream.close(Status.OK, new Metadata());
    assertArrayEquals("late".getBytes(StandardCharsets.UTF_8), inFlight.listener().nextMessage());
    assertCode(Status.OK, inFlight.awaitClosed().status());
    assertCode(Status.OK, serverCall.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    Connection next = TestClient.connect(factory, server.address());
    try {
      assertEchoes(next);
      assertNotEquals(
          c.transport().attributes(), next.transport().attributes(), "a new connection");
      assertEquals(2, server.connections.size(), "the server accepted a second connection");
    } finally {
      next.shutdownAndAwait();
    }
  }

  @Test
  void maxAgeGraceEndsTheCallsThatOutstayIt() throws Exception {
    server =
        start(
            ServerKeepalive.newBuilder()
                .maxConnectionAge(Duration.ofMillis(200))
                .maxConnectionAgeGrace(Duration.ofMillis(300))
                .build());
    Connection c = TestClient.connect(factory, server.address());
    Call stuck = c.call("test/Hold");
    TestServer.Call serverCall = server.nextCall();
    assertCode(Status.UNAVAILABLE, c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    Status status = stuck.awaitClosed().status();
    assertCode(Status.UNAVAILABLE, status);
    Status serverStatus = serverCall.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertNotEquals(Status.Code.OK, serverStatus.getCode(), serverStatus.toString());
    c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void maxIdleClosesAConnectionWithoutCallsOnly() throws Exception {
    server = start(ServerKeepalive.newBuilder().maxConnectionIdle(Duration.ofMillis(300)).build());
    Connection c = TestClient.connect(factory, server.address());
    Call call = c.call("test/Hold");
    TestServer.Call serverCall = server.nextCall();
    assertThrows(
        TimeoutException.class,
        () -> c.listener().shutdown.get(900, TimeUnit.MILLISECONDS),
        "a connection with a call open is not idle");
    serverCall.stream.writeHeaders(new Metadata());
    serverCall.stream.close(Status.OK, new Metadata());
    assertCode(Status.OK, call.awaitClosed().status());
    long idleFrom = System.nanoTime();
    Status goAway = c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleFrom);
    assertCode(Status.UNAVAILABLE, goAway);
    assertTrue(goAway.getDescription().contains("GOAWAY"), goAway.toString());
    assertTrue(idleMillis >= 200, "closed " + idleMillis + " ms after the call ended");
    c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  // ---- helpers ----

  private TestServer start(ServerKeepalive keepalive) throws Exception {
    return TestServer.start(
        provider,
        new ServerTransportOptions(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            TransportCredentials.insecure(),
            1 << 20,
            8192,
            100,
            Duration.ofSeconds(10),
            new CompressorRegistry(),
            ServerOptions.DEFAULT_MAX_QUEUED_CONTROL_FRAMES,
            ServerOptions.DEFAULT_MAX_RST_STREAMS_PER_WINDOW,
            ServerOptions.DEFAULT_RST_STREAM_WINDOW,
            ServerOptions.DEFAULT_PERMIT_KEEPALIVE_TIME,
            false,
            keepalive));
  }

  private static void assertEchoes(Connection c) throws Exception {
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    Call call = c.call("test/Echo").unary(hello, 1);
    assertArrayEquals(hello, call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
  }

  private static Http2Headers request(String method) {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.method("POST").scheme("http").path("/" + method).authority("raw.test");
    h.add("content-type", "application/grpc");
    h.add("te", "trailers");
    return h;
  }

  private static int lastStreamId(Frame goAway) {
    return ByteBuffer.wrap(goAway.payload()).getInt() & Integer.MAX_VALUE;
  }

  private static int errorCode(Frame goAway) {
    return ByteBuffer.wrap(goAway.payload(), 4, 4).getInt();
  }
}
