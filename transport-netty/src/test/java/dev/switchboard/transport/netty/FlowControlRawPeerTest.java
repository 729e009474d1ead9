package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.FlowControl;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.transport.netty.RawHttp2Connection.Frame;
import dev.switchboard.transport.netty.TestClient.Connection;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The windows each side advertises and their auto-tuning, seen on the wire by a hand-driven peer:
 * the peer sends exactly one window of DATA before it answers the BDP PING, so the sample is the
 * window and the estimate must double it.
 */
class FlowControlRawPeerTest {
  static final int WINDOW_UPDATE = 0x8;
  static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
  private static final int SMALLEST = FlowControl.MIN_WINDOW;

  private NettyTransportProvider provider;
  private ClientTransportFactory factory;
  private ServerSocket serverSocket;
  private Connection client;
  private TestServer server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    provider = new NettyTransportProvider();
    factory = TestClient.factory(provider);
    serverSocket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.transport().shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      client.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (server != null) {
      server.close();
      server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    serverSocket.close();
    factory.close();
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  // ---- client ----

  @Test
  void clientAdvertisesItsConfiguredWindows() throws Exception {
    RawHttp2Connection raw =
        acceptClient(
            FlowControl.newBuilder()
                .initialStreamWindow(128 * 1024)
                .initialConnectionWindow(3 << 20)
                .build());
    assertEquals(128 * 1024, initialWindowSize(raw.awaitFrame(RawHttp2Connection.SETTINGS)));
    Frame update = raw.awaitFrame(WINDOW_UPDATE);
    assertEquals(0, update.streamId());
    assertEquals((3 << 20) - SMALLEST, increment(update));
  }

  @Test
  void clientDoublesItsWindowsWhenAWindowArrivesPerRoundTrip() throws Exception {
    RawHttp2Connection raw =
        acceptClient(
            FlowControl.newBuilder()
                .initialStreamWindow(SMALLEST)
                .initialConnectionWindow(SMALLEST)
                .build());
    startCallAndSendOneWindow(raw);
    Frame ping = null;
    long connectionIncrements = 0;
    Frame f;
    while (initialWindowSize(f = raw.readFrame()) != 2 * SMALLEST) {
      if (f.type() == RawHttp2Connection.PING && (f.flags() & RawHttp2Connection.ACK) == 0) {
        ping = f;
      } else if (f.type() == WINDOW_UPDATE && f.streamId() == 0) {
        connectionIncrements += increment(f);
      }
    }
    assertNotNull(ping, "no PING before the new SETTINGS");
    assertEquals(BdpPinger.BDP_PING, ByteBuffer.wrap(ping.payload()).getLong());
    assertTrue(
        connectionIncrements >= 2 * SMALLEST,
        "the connection window refilled (up to one window) and grew by one window: "
            + connectionIncrements);
  }

  @Test
  void clientWithoutAutoTuningNeverPings() throws Exception {
    RawHttp2Connection raw = acceptClient(FlowControl.fixed(SMALLEST));
    startCallAndSendOneWindow(raw);
    // Our PING goes after the DATA; a BDP PING the client sent would come before its answer.
    raw.writeFrame(RawHttp2Connection.PING, 0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Frame f;
    while ((f = raw.readFrame()).type() != RawHttp2Connection.PING
        || (f.flags() & RawHttp2Connection.ACK) == 0) {
      assertFalse(f.type() == RawHttp2Connection.PING, "the client pinged");
      assertEquals(-1, initialWindowSize(f), "the client changed its stream window");
    }
  }

  /** As {@link #serverSharesAnOpeningWindowAmongStreamsInWholeFrames}, for a client's requests. */
  @Test
  void clientSharesAnOpeningWindowAmongStreamsInWholeFrames() throws Exception {
    int streams = 4;
    int messageBytes = 64 * 1024;
    RawHttp2Connection raw = acceptClient(FlowControl.DEFAULT);
    raw.writeFrame(RawHttp2Connection.SETTINGS, 0, 0, initialWindowSetting(0)); // nothing may go
    awaitPingAck(raw); // the client applied the SETTINGS before it answered
    for (int i = 0; i < streams; i++) {
      client.call("test/Hold").unary(new byte[messageBytes], 1);
    }
    awaitPingAck(raw); // the client's loop ran the queued writes: all four messages wait
    openWindows(raw, 1 << 20);

    assertSharedInWholeFrames(raw, streams, messageBytes + 5);
  }

  /**
   * Reads until {@code streams} streams have ended (END_STREAM on DATA or HEADERS): each carried
   * {@code framed} bytes of DATA, in at most twice the fewest frames of 16 KiB.
   */
  private static void assertSharedInWholeFrames(RawHttp2Connection raw, int streams, int framed)
      throws IOException {
    java.util.Map<Integer, Integer> received = new java.util.HashMap<>();
    int dataFrames = 0;
    for (int ended = 0; ended < streams; ) {
      Frame f = raw.readFrame();
      if (f.type() == RawHttp2Connection.DATA && f.payload().length > 0) {
        dataFrames++;
        received.merge(f.streamId(), f.payload().length, Integer::sum);
      }
      if (f.endStream()) {
        ended++;
      }
    }
    assertEquals(streams, received.size(), received.toString());
    received.values().forEach(bytes -> assertEquals(framed, bytes, received.toString()));
    int fewest = streams * ((framed + 16 * 1024 - 1) / (16 * 1024));
    assertTrue(
        dataFrames <= 2 * fewest,
        dataFrames
            + " DATA frames for "
            + streams
            + " x "
            + framed
            + " bytes (at best "
            + fewest
            + ")");
  }

  /**
   * Opens every stream window (SETTINGS) and the connection window (WINDOW_UPDATE) to {@code
   * bytes}.
   */
  private static void openWindows(RawHttp2Connection raw, int bytes) throws IOException {
    raw.writeFrame(RawHttp2Connection.SETTINGS, 0, 0, initialWindowSetting(bytes));
    raw.writeFrame(WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(bytes).array());
  }

  private static void awaitPingAck(RawHttp2Connection raw) throws IOException {
    raw.writeFrame(RawHttp2Connection.PING, 0, 0, new byte[8]);
    Frame f;
    do {
      f = raw.readFrame();
    } while (f.type() != RawHttp2Connection.PING || (f.flags() & RawHttp2Connection.ACK) == 0);
  }

  private RawHttp2Connection acceptClient(FlowControl flowControl) throws Exception {
    client =
        TestClient.connectNoWait(
            factory,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort()),
            TestClient.options(flowControl));
    RawHttp2Connection raw = RawHttp2Connection.accept(serverSocket, false);
    closeables.add(raw);
    client.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return raw;
  }

  /** A call asking for a 1 MiB response, of which the server sends one 65,535-byte window. */
  private void startCallAndSendOneWindow(RawHttp2Connection raw) throws IOException {
    client.call("test/Hold").stream().request(1);
    int streamId = raw.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    Http2Headers response = new DefaultHttp2Headers(false).status("200");
    response.add("content-type", "application/grpc");
    raw.writeHeaders(streamId, response, false);
    sendWindow(raw, streamId, true);
  }

  // ---- server ----

  @Test
  void serverAdvertisesItsConfiguredWindows() throws Exception {
    RawHttp2Connection raw =
        connectToServer(
            FlowControl.newBuilder()
                .initialStreamWindow(256 * 1024)
                .initialConnectionWindow(2 << 20)
                .autoTune(false)
                .build());
    assertEquals(256 * 1024, initialWindowSize(raw.awaitFrame(RawHttp2Connection.SETTINGS)));
    Frame update = raw.awaitFrame(WINDOW_UPDATE);
    assertEquals(0, update.streamId());
    assertEquals((2 << 20) - SMALLEST, increment(update));
  }

  @Test
  void serverDoublesItsWindowsWhenAWindowArrivesPerRoundTrip() throws Exception {
    RawHttp2Connection raw =
        connectToServer(
            FlowControl.newBuilder()
                .initialStreamWindow(SMALLEST)
                .initialConnectionWindow(SMALLEST)
                .build());
    Http2Headers request = new DefaultHttp2Headers(false);
    request.method("POST").scheme("http").path("/test/Hold").authority("raw.test");
    request.add("content-type", "application/grpc");
    raw.writeHeaders(1, request, false);
    sendWindow(raw, 1, true);
    Frame f;
    boolean pinged = false;
    while (initialWindowSize(f = raw.readFrame()) != 2 * SMALLEST) {
      pinged |= f.type() == RawHttp2Connection.PING;
    }
    assertTrue(pinged, "the server measured with a PING");
  }

  /**
   * Four responses waiting for the peer's window share it in whole DATA frames: Netty's default
   * allocation quantum (1 KiB) cut them into 200 frames, where 20 frames of at most 16 KiB carry
   * them.
   */
  @Test
  void serverSharesAnOpeningWindowAmongStreamsInWholeFrames() throws Exception {
    int streams = 4;
    int messageBytes = 64 * 1024;
    RawHttp2Connection raw = connectToServer(FlowControl.DEFAULT);
    raw.writeFrame(RawHttp2Connection.SETTINGS, 0, 0, initialWindowSetting(0)); // nothing may go
    for (int i = 0; i < streams; i++) {
      Http2Headers request = new DefaultHttp2Headers(false);
      request.method("POST").scheme("http").path("/test/Hold").authority("raw.test");
      request.add("content-type", "application/grpc");
      raw.writeHeaders(1 + 2 * i, request, true);
    }
    for (int i = 0; i < streams; i++) {
      TestServer.Call call = server.nextCall();
      call.stream.writeHeaders(new Metadata());
      call.stream.writeMessage(new byte[messageBytes], ByteArrayMarshaller.INSTANCE);
      call.stream.close(Status.OK, new Metadata());
    }
    // The server's loop ran the queued writes before it read this PING's successor: all four
    // messages now wait in its flow controller.
    awaitPingAck(raw); // past response HEADERS and the SETTINGS ACK
    openWindows(raw, 1 << 20);

    assertSharedInWholeFrames(raw, streams, messageBytes + 5);
  }

  private RawHttp2Connection connectToServer(FlowControl flowControl) throws Exception {
    server = TestServer.start(provider, TestServer.options(flowControl));
    RawHttp2Connection raw = RawHttp2Connection.open(server.address()).handshake();
    closeables.add(raw);
    return raw;
  }

  // ---- wire helpers ----

  /**
   * Sends one 65,535-byte window of DATA on {@code streamId}: the start of a 1 MiB gRPC message in
   * frames of at most 16 KiB, written at once.
   */
  static void sendWindow(RawHttp2Connection raw, int streamId, boolean grpcPrefix)
      throws IOException {
    byte[] window = new byte[SMALLEST];
    if (grpcPrefix) {
      ByteBuffer.wrap(window).put((byte) 0).putInt(1 << 20);
    }
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    for (int off = 0; off < window.length; off += 16 * 1024) {
      int len = Math.min(16 * 1024, window.length - off);
      byte[] chunk = Arrays.copyOfRange(window, off, off + len);
      frames.writeBytes(RawHttp2Connection.frame(RawHttp2Connection.DATA, 0, streamId, chunk));
    }
    raw.writeBytes(frames.toByteArray());
  }

  /** A SETTINGS payload setting SETTINGS_INITIAL_WINDOW_SIZE to {@code window}. */
  static byte[] initialWindowSetting(int window) {
    return ByteBuffer.allocate(6)
        .putShort((short) SETTINGS_INITIAL_WINDOW_SIZE)
        .putInt(window)
        .array();
  }

  /** SETTINGS_INITIAL_WINDOW_SIZE of a SETTINGS frame (not an ACK), or -1. */
  static long initialWindowSize(Frame f) {
    if (f.type() != RawHttp2Connection.SETTINGS || (f.flags() & RawHttp2Connection.ACK) != 0) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(f.payload());
    long value = -1;
    while (b.remaining() >= 6) {
      int id = b.getShort() & 0xffff;
      long v = b.getInt() & 0xffffffffL;
      if (id == SETTINGS_INITIAL_WINDOW_SIZE) {
        value = v;
      }
    }
    return value;
  }

  static int increment(Frame windowUpdate) {
    return ByteBuffer.wrap(windowUpdate.payload()).getInt() & 0x7fffffff;
  }
}
