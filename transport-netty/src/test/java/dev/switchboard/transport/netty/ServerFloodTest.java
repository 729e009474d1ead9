package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.FlowControl;
import dev.switchboard.api.FrameLimits;
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
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Floods a hostile peer sends, over a real socket from a raw frame-level client: each is answered
 * as the limits say, and the server then serves a normal call on a new connection.
 */
class ServerFloodTest {
  /** Far more frames than any limit lets through: the socket buffers on loopback hold ~500k. */
  private static final int FLOOD_FRAMES = 3_000_000;

  private static final int BATCH = 1000;

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
  void settingsFloodFromAClientThatNeverReadsIsCutOff() throws Exception {
    server = TestServer.start(provider, 1 << 20);
    long heapBefore = usedHeapAfterGc();
    byte[] settings = RawHttp2Connection.frame(RawHttp2Connection.SETTINGS, 0, 0, new byte[0]);
    try (RawHttp2Connection raw = RawHttp2Connection.openNonReading(server.address())) {
      raw.handshake();
      int sent = floodUntilClosed(raw, settings);
      assertTrue(sent < FLOOD_FRAMES, "the server read all " + sent + " frames and kept going");
    }
    assertTrue(server.connectionTerminated.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertHeapBounded(heapBefore);
    assertServerStillServes();
  }

  @Test
  void pingFloodFromAClientThatNeverReadsIsCutOffEvenWhenPingsArePermitted() throws Exception {
    server = TestServer.start(provider, options(Duration.ZERO, true, 1000));
    long heapBefore = usedHeapAfterGc();
    byte[] ping = RawHttp2Connection.frame(RawHttp2Connection.PING, 0, 0, new byte[8]);
    try (RawHttp2Connection raw = RawHttp2Connection.openNonReading(server.address())) {
      raw.handshake();
      int sent = floodUntilClosed(raw, ping);
      assertTrue(sent < FLOOD_FRAMES, "the server read all " + sent + " frames and kept going");
    }
    assertTrue(server.connectionTerminated.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertHeapBounded(heapBefore);
    assertServerStillServes();
  }

  @Test
  void pingFloodIsAnsweredWithTooManyPings() throws Exception {
    server = TestServer.start(provider, 1 << 20);
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      // The first PING and two strikes are tolerated, the third strike is not. Exactly that many,
      // so that nothing unread is left for the server to reset when it closes.
      for (int i = 0; i < 1 + PingEnforcer.MAX_PING_STRIKES + 1; i++) {
        raw.writeFrame(RawHttp2Connection.PING, 0, 0, new byte[8]);
      }
      Frame goAway = raw.awaitFrame(RawHttp2Connection.GOAWAY);
      assertGoAway(goAway, Http2Error.ENHANCE_YOUR_CALM, "too_many_pings");
      assertTrue(raw.closedByPeer());
    }
    assertServerStillServes();
  }

  @Test
  void pingsFarEnoughApartAreAcknowledged() throws Exception {
    server = TestServer.start(provider, options(Duration.ZERO, true, 1000));
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      for (int i = 0; i < 20; i++) {
        raw.writeFrame(RawHttp2Connection.PING, 0, 0, new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) i});
        Frame ack = raw.awaitFrame(RawHttp2Connection.PING);
        assertEquals(RawHttp2Connection.ACK, ack.flags() & RawHttp2Connection.ACK);
        assertEquals(i, ack.payload()[7]);
      }
    }
  }

  @Test
  void rapidResetIsAnsweredWithEnhanceYourCalm() throws Exception {
    server =
        TestServer.start(
            provider, options(ServerOptions.DEFAULT_PERMIT_KEEPALIVE_TIME, false, 100));
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      ByteArrayOutputStream batch = new ByteArrayOutputStream();
      byte[] cancel = {0, 0, 0, (byte) Http2Error.CANCEL.code()};
      // One reset more than the limit of 100, and no more: nothing unread is left for the server
      // to reset when it closes.
      for (int i = 0; i < 101; i++) {
        int id = 1 + 2 * i;
        batch.write(
            RawHttp2Connection.frame(
                RawHttp2Connection.HEADERS,
                RawHttp2Connection.END_HEADERS,
                id,
                raw.encode(id, request("test/Hold"))));
        batch.write(RawHttp2Connection.frame(RawHttp2Connection.RST_STREAM, 0, id, cancel));
      }
      raw.writeBytes(batch.toByteArray());
      Frame goAway = raw.awaitFrame(RawHttp2Connection.GOAWAY);
      assertGoAway(goAway, Http2Error.ENHANCE_YOUR_CALM, null);
      assertTrue(raw.closedByPeer());
    }
    assertServerStillServes();
  }

  @Test
  void emptyDataFloodIsAnsweredWithEnhanceYourCalm() throws Exception {
    server = TestServer.start(provider, 1 << 20);
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      raw.writeHeaders(1, request("test/Hold"), false);
      // Exactly one more than Netty's limit of 2: nothing unread is left for the server to reset.
      for (int i = 0; i < 3; i++) {
        raw.writeData(1, new byte[0], false);
      }
      Frame goAway = raw.awaitFrame(RawHttp2Connection.GOAWAY);
      assertGoAway(goAway, Http2Error.ENHANCE_YOUR_CALM, null);
      assertTrue(raw.closedByPeer());
    }
    assertServerStillServes();
  }

  @Test
  void continuationFloodIsAnsweredWithEnhanceYourCalm() throws Exception {
    server = TestServer.start(provider, 1 << 20);
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      byte[] block = raw.encode(1, request("test/Hold"));
      raw.writeFrame(RawHttp2Connection.HEADERS, 0, 1, Arrays.copyOf(block, 1));
      // Exactly one more than Netty's limit of 16: nothing unread is left for the server to reset.
      for (int i = 0; i < 17; i++) {
        raw.writeFrame(RawHttp2Connection.CONTINUATION, 0, 1, new byte[0]);
      }
      Frame goAway = raw.awaitFrame(RawHttp2Connection.GOAWAY);
      assertGoAway(goAway, Http2Error.ENHANCE_YOUR_CALM, null);
      assertTrue(raw.closedByPeer());
    }
    assertServerStillServes();
  }

  @Test
  void emptyDataLimitIsASetting() throws Exception {
    server =
        TestServer.start(
            provider, withFrameLimits(FrameLimits.DEFAULT.withMaxConsecutiveEmptyDataFrames(8)));
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      // Within the raised limit (the default of 2 would close the connection): the call goes on.
      raw.writeHeaders(1, request("test/Echo"), false);
      for (int i = 0; i < 8; i++) {
        raw.writeData(1, new byte[0], false);
      }
      raw.writeData(1, grpcFrame("hi"), true);
      Response ok = raw.readResponse(1);
      assertEquals("0", ok.header("grpc-status"));
      assertEquals(-1, raw.goAwayErrorCode, "no GOAWAY");
      // One more than the limit is a flood.
      raw.writeHeaders(3, request("test/Hold"), false);
      for (int i = 0; i < 9; i++) {
        raw.writeData(3, new byte[0], false);
      }
      assertGoAway(raw.awaitFrame(RawHttp2Connection.GOAWAY), Http2Error.ENHANCE_YOUR_CALM, null);
      assertTrue(raw.closedByPeer());
    }
    assertServerStillServes();
  }

  @Test
  void continuationLimitIsASetting() throws Exception {
    server =
        TestServer.start(
            provider, withFrameLimits(FrameLimits.DEFAULT.withMaxSmallContinuationFrames(40)));
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      // 30 small CONTINUATION frames, over the default of 16, within the setting: served.
      byte[] block = raw.encode(1, request("test/Echo"));
      raw.writeFrame(RawHttp2Connection.HEADERS, 0, 1, Arrays.copyOf(block, 1));
      for (int i = 0; i < 30; i++) {
        raw.writeFrame(RawHttp2Connection.CONTINUATION, 0, 1, new byte[0]);
      }
      raw.writeFrame(
          RawHttp2Connection.CONTINUATION,
          RawHttp2Connection.END_HEADERS,
          1,
          Arrays.copyOfRange(block, 1, block.length));
      raw.writeData(1, grpcFrame("hi"), true);
      Response ok = raw.readResponse(1);
      assertEquals("0", ok.header("grpc-status"));
      assertEquals(-1, raw.goAwayErrorCode, "no GOAWAY");
      // One more than the limit is a flood.
      byte[] next = raw.encode(3, request("test/Hold"));
      raw.writeFrame(RawHttp2Connection.HEADERS, 0, 3, Arrays.copyOf(next, 1));
      for (int i = 0; i < 41; i++) {
        raw.writeFrame(RawHttp2Connection.CONTINUATION, 0, 3, new byte[0]);
      }
      assertGoAway(raw.awaitFrame(RawHttp2Connection.GOAWAY), Http2Error.ENHANCE_YOUR_CALM, null);
      assertTrue(raw.closedByPeer());
    }
    assertServerStillServes();
  }

  @Test
  void pseudoHeaderAfterRegularHeaderResetsOnlyThatStream() throws Exception {
    server = TestServer.start(provider, 1 << 20);
    Connection bystander = TestClient.connect(factory, server.address());
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      // "x-first: 1" as a literal without indexing, then a valid request's pseudo-headers.
      byte[] regular = {0x00, 7, 'x', '-', 'f', 'i', 'r', 's', 't', 1, '1'};
      byte[] rest = raw.encode(1, request("test/Echo"));
      byte[] block = Arrays.copyOf(regular, regular.length + rest.length);
      System.arraycopy(rest, 0, block, regular.length, rest.length);
      raw.writeFrame(RawHttp2Connection.HEADERS, RawHttp2Connection.END_HEADERS, 1, block);
      raw.writeData(1, grpcFrame("lost"), true);
      Response reset = raw.readResponse(1);
      assertEquals(Http2Error.PROTOCOL_ERROR.code(), reset.resetCode());
      // The same connection still serves calls.
      raw.writeHeaders(3, request("test/Echo"), false);
      raw.writeData(3, grpcFrame("hi"), true);
      Response ok = raw.readResponse(3);
      assertEquals("0", ok.header("grpc-status"));
      assertArrayEquals(grpcFrame("hi"), ok.data());
      assertEquals(-1, raw.goAwayErrorCode, "no GOAWAY");
    }
    Call call = bystander.call("test/Echo").unary("ok".getBytes(StandardCharsets.UTF_8), 1);
    assertCode(Status.OK, call.awaitClosed().status());
    bystander.shutdownAndAwait();
    assertServerStillServes();
  }

  @Test
  void advertisesTheConfiguredMaxConcurrentStreams() throws Exception {
    server = TestServer.start(provider, 1 << 20);
    try (RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake()) {
      Frame settings = raw.awaitFrame(RawHttp2Connection.SETTINGS);
      ByteBuffer payload = ByteBuffer.wrap(settings.payload());
      long maxStreams = -1;
      while (payload.remaining() >= 6) {
        int id = payload.getShort() & 0xffff;
        long value = payload.getInt() & 0xffffffffL;
        if (id == 0x3) {
          maxStreams = value;
        }
      }
      assertEquals(100, maxStreams, "TestServer's limit");
    }
  }

  // ---- helpers ----

  private static ServerTransportOptions options(
      Duration permitKeepAliveTime, boolean permitWithoutCalls, int maxRstStreams) {
    return new ServerTransportOptions(
        List.of(new InetSocketAddress("127.0.0.1", 0)),
        TransportCredentials.insecure(),
        1 << 20,
        8192,
        100,
        Duration.ofSeconds(10),
        new CompressorRegistry(),
        ServerOptions.DEFAULT_MAX_QUEUED_CONTROL_FRAMES,
        maxRstStreams,
        Duration.ofSeconds(10),
        permitKeepAliveTime,
        permitWithoutCalls);
  }

  private static ServerTransportOptions withFrameLimits(FrameLimits limits) {
    return new ServerTransportOptions(
        List.of(new InetSocketAddress("127.0.0.1", 0)),
        TransportCredentials.insecure(),
        1 << 20,
        8192,
        100,
        Duration.ofSeconds(10),
        new CompressorRegistry(),
        limits,
        ServerOptions.DEFAULT_MAX_RST_STREAMS_PER_WINDOW,
        ServerOptions.DEFAULT_RST_STREAM_WINDOW,
        ServerOptions.DEFAULT_PERMIT_KEEPALIVE_TIME,
        false,
        ServerKeepalive.DEFAULT,
        FlowControl.DEFAULT);
  }

  /** Writes {@code frame} up to {@link #FLOOD_FRAMES} times; returns how many before the cut. */
  private static int floodUntilClosed(RawHttp2Connection raw, byte[] frame) {
    byte[] batch = new byte[frame.length * BATCH];
    for (int i = 0; i < BATCH; i++) {
      System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
    }
    int sent = 0;
    try {
      while (sent < FLOOD_FRAMES) {
        raw.writeBytes(batch);
        sent += BATCH;
      }
    } catch (IOException expected) {
      // reset or closed by the server
    }
    return sent;
  }

  private static void assertGoAway(Frame goAway, Http2Error error, String debug) {
    ByteBuffer payload = ByteBuffer.wrap(goAway.payload());
    payload.getInt(); // last stream id
    assertEquals(error.code(), payload.getInt() & 0xffffffffL);
    if (debug != null) {
      byte[] data = new byte[payload.remaining()];
      payload.get(data);
      assertEquals(debug, new String(data, StandardCharsets.US_ASCII));
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** What the flood left behind is freed: no queue of acknowledgements survives the connection. */
  private static void assertHeapBounded(long before) {
    long after = usedHeapAfterGc();
    assertTrue(
        after - before < 64L << 20,
        "heap grew by " + ((after - before) >> 20) + " MiB across the flood");
  }

  private static Http2Headers request(String method) {
    Http2Headers h = new DefaultHttp2Headers(false);
    h.method("POST").scheme("http").path("/" + method).authority("raw.test");
    h.add("content-type", "application/grpc");
    h.add("te", "trailers");
    return h;
  }

  private static byte[] grpcFrame(String message) {
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageDeframerTest.writeFrame(out, 0, body);
    return out.toByteArray();
  }

  /** A normal call on a fresh connection still works. */
  private void assertServerStillServes() throws Exception {
    Connection c = TestClient.connect(factory, server.address());
    try {
      Call call = c.call("test/Echo").unary("alive?".getBytes(StandardCharsets.UTF_8), 1);
      assertArrayEquals("alive?".getBytes(StandardCharsets.UTF_8), call.listener().nextMessage());
      assertCode(Status.OK, call.awaitClosed().status());
    } finally {
      c.shutdownAndAwait();
    }
  }
}
