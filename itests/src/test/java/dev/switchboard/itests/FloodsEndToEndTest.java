package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.clientconn.ClientConns;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The flood limits set through {@link ServerOptions}, against a whole server from a hand-written
 * HTTP/2 peer: each flood is answered as the README's table says, and the server then serves a
 * normal call on a new connection.
 */
class FloodsEndToEndTest {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;
  private static final int SETTINGS = 0x4;
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;
  private static final long ENHANCE_YOUR_CALM = 0xb;

  private final EchoService service = new EchoService("floods");
  private Server server;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void pingFloodGetsTooManyPings() throws Exception {
    server = Loopback.start(service);
    ByteArrayOutputStream flood = new ByteArrayOutputStream();
    // The first PING and two strikes are tolerated, the third strike is not; no more than that,
    // so that nothing unread is left for the server to reset when it closes.
    for (int i = 0; i < 4; i++) {
      flood.write(frame(PING, 0, 0, new byte[8]));
    }
    byte[] goAway = goAwayAfter(flood.toByteArray());
    assertEquals(ENHANCE_YOUR_CALM, ByteBuffer.wrap(goAway).getInt(4) & 0xffffffffL);
    assertEquals(
        "too_many_pings", new String(goAway, 8, goAway.length - 8, StandardCharsets.US_ASCII));
    assertServes();
  }

  @Test
  void rapidResetGetsEnhanceYourCalm() throws Exception {
    server =
        Loopback.start(
            service,
            ServerOptions.newBuilder()
                .insecure()
                .maxRstStreamsPerWindow(50, Duration.ofSeconds(10)));
    DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    ByteArrayOutputStream flood = new ByteArrayOutputStream();
    for (int i = 0; i < 51; i++) { // one reset over the limit, and nothing unread after it
      int id = 1 + 2 * i;
      ByteBuf block = Unpooled.buffer();
      try {
        encoder.encodeHeaders(
            id,
            RawHttp2Client.grpcHeaders(server.port(), "/" + EchoService.HANG.getFullMethodName()),
            block);
        byte[] bytes = new byte[block.readableBytes()];
        block.readBytes(bytes);
        flood.write(frame(HEADERS, 0x4, id, bytes));
      } finally {
        block.release();
      }
      flood.write(frame(RST_STREAM, 0, id, new byte[] {0, 0, 0, 8}));
    }
    byte[] goAway = goAwayAfter(flood.toByteArray());
    assertEquals(ENHANCE_YOUR_CALM, ByteBuffer.wrap(goAway).getInt(4) & 0xffffffffL);
    assertServes();
  }

  @Test
  void slowlorisConnectionsAreClosedAtTheHandshakeTimeout() throws Exception {
    server =
        Loopback.start(
            service,
            ServerOptions.newBuilder().insecure().handshakeTimeout(Duration.ofMillis(500)));
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(PREFACE, 0, 10); // a preface that never completes
        s.getOutputStream().flush();
        sockets.add(s);
      }
      for (Socket s : sockets) {
        assertTrue(closedByPeer(s), "a slow handshake was left open");
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    assertServes();
  }

  /**
   * Sends the preface, SETTINGS and {@code frames}; returns the GOAWAY payload the server sends.
   */
  private byte[] goAwayAfter(byte[] frames) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(PREFACE);
      out.write(frame(SETTINGS, 0, 0, new byte[0]));
      out.write(frames);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (true) {
        int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        in.readUnsignedByte(); // flags
        in.readInt(); // stream id
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == GOAWAY) {
          return payload;
        }
      }
    }
  }

  private static boolean closedByPeer(Socket s) throws IOException {
    byte[] buf = new byte[4096];
    try {
      while (s.getInputStream().read(buf) >= 0) {
        // discard
      }
      return true;
    } catch (EOFException | SocketException e) {
      return true;
    }
  }

  private static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
    b.put((byte) (payload.length >>> 16)).putShort((short) payload.length);
    b.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
    return b.array();
  }

  private void assertServes() throws Exception {
    ClientConn conn = ClientConns.newClient(Loopback.target(server), Loopback.insecure().build());
    try {
      assertEquals(
          "ok", Loopback.unary(conn, EchoService.UNARY, str("ok"), CallOptions.DEFAULT).getValue());
    } finally {
      conn.close();
    }
  }
}
