package dev.switchboard.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb HTTP/2 client over a plain socket, for feeding the server what a real client
 * never would. Frames are written by hand; only HPACK is borrowed from Netty (with no header list
 * limit on our side). Blocking, single-threaded, 10 s read timeout.
 */
final class RawHttp2Connection implements AutoCloseable {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int CONTINUATION = 0x9;
  static final int END_STREAM = 0x1;
  static final int ACK = 0x1;
  static final int END_HEADERS = 0x4;
  static final int PADDED = 0x8;
  static final int PRIORITY = 0x20;
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
  long goAwayErrorCode = -1;

  private RawHttp2Connection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawHttp2Connection open(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address, 10_000);
    socket.setSoTimeout(10_000);
    return new RawHttp2Connection(socket);
  }

  /**
   * A connection whose receive buffer is as small as the OS allows, for a client that floods the
   * server and never reads what it answers.
   */
  static RawHttp2Connection openNonReading(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024);
    socket.connect(address, 10_000);
    socket.setSoTimeout(10_000);
    return new RawHttp2Connection(socket);
  }

  /** One frame's bytes, header and payload, for writing many at once with {@link #writeBytes}. */
  static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    byte[] frame = new byte[9 + payload.length];
    frame[0] = (byte) (payload.length >>> 16);
    frame[1] = (byte) (payload.length >>> 8);
    frame[2] = (byte) payload.length;
    frame[3] = (byte) type;
    frame[4] = (byte) flags;
    frame[5] = (byte) (streamId >>> 24);
    frame[6] = (byte) (streamId >>> 16);
    frame[7] = (byte) (streamId >>> 8);
    frame[8] = (byte) streamId;
    System.arraycopy(payload, 0, frame, 9, payload.length);
    return frame;
  }

  /** The HPACK block of {@code headers}, in this connection's encoder state. */
  byte[] encode(int streamId, Http2Headers headers) throws IOException {
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, block);
      byte[] bytes = new byte[block.readableBytes()];
      block.readBytes(bytes);
      return bytes;
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      block.release();
    }
  }

  /**
   * Accepts one connection as a server: reads the client preface and, unless {@code silent}, sends
   * an empty SETTINGS frame.
   */
  static RawHttp2Connection accept(java.net.ServerSocket serverSocket, boolean silent)
      throws IOException {
    Socket socket = serverSocket.accept();
    socket.setSoTimeout(10_000);
    RawHttp2Connection c = new RawHttp2Connection(socket);
    byte[] preface = new byte[PREFACE.length];
    c.in.readFully(preface);
    if (!java.util.Arrays.equals(PREFACE, preface)) {
      throw new IOException("bad client preface");
    }
    if (!silent) {
      c.writeFrame(SETTINGS, 0, 0, new byte[0]);
    }
    return c;
  }

  /** One received frame; {@code headers} is decoded for HEADERS frames. */
  record Frame(int type, int flags, int streamId, byte[] payload, Http2Headers headers) {
    boolean endStream() {
      return (type == HEADERS || type == DATA) && (flags & END_STREAM) != 0;
    }
  }

  /** The next frame of {@code type}; SETTINGS and PING are acknowledged along the way. */
  Frame awaitFrame(int type) throws IOException {
    while (true) {
      Frame f = readFrame();
      if (f.type() == type) {
        return f;
      }
    }
  }

  /** The next frame; SETTINGS and PING are acknowledged (and returned). */
  Frame readFrame() throws IOException {
    int length =
        (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int id = in.readInt() & 0x7fffffff;
    byte[] payload = new byte[length];
    in.readFully(payload);
    if (type == SETTINGS && (flags & ACK) == 0) {
      writeFrame(SETTINGS, ACK, 0, new byte[0]);
    } else if (type == PING && (flags & ACK) == 0) {
      writeFrame(PING, ACK, 0, payload);
    }
    Http2Headers headers = type == HEADERS ? decode(id, payload, flags) : null;
    return new Frame(type, flags, id, payload, headers);
  }

  void writeRstStream(int streamId, long errorCode) throws IOException {
    writeFrame(
        RST_STREAM,
        0,
        streamId,
        new byte[] {
          (byte) (errorCode >>> 24),
          (byte) (errorCode >>> 16),
          (byte) (errorCode >>> 8),
          (byte) errorCode
        });
  }

  void writeGoAway(int lastStreamId, long errorCode) throws IOException {
    writeFrame(
        GOAWAY,
        0,
        0,
        new byte[] {
          (byte) (lastStreamId >>> 24),
          (byte) (lastStreamId >>> 16),
          (byte) (lastStreamId >>> 8),
          (byte) lastStreamId,
          (byte) (errorCode >>> 24),
          (byte) (errorCode >>> 16),
          (byte) (errorCode >>> 8),
          (byte) errorCode
        });
  }

  /** Connection preface and an empty SETTINGS frame. */
  RawHttp2Connection handshake() throws IOException {
    out.write(PREFACE);
    writeFrame(SETTINGS, 0, 0, new byte[0]);
    return this;
  }

  void writeBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void writeHeaders(int streamId, Http2Headers headers, boolean endStream) throws IOException {
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, block);
      byte[] bytes = new byte[block.readableBytes()];
      block.readBytes(bytes);
      writeFrame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, bytes);
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      block.release();
    }
  }

  void writeData(int streamId, byte[] data, boolean endStream) throws IOException {
    writeFrame(DATA, endStream ? END_STREAM : 0, streamId, data);
  }

  void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
    byte[] header = new byte[9];
    header[0] = (byte) (payload.length >>> 16);
    header[1] = (byte) (payload.length >>> 8);
    header[2] = (byte) payload.length;
    header[3] = (byte) type;
    header[4] = (byte) flags;
    header[5] = (byte) (streamId >>> 24);
    header[6] = (byte) (streamId >>> 16);
    header[7] = (byte) (streamId >>> 8);
    header[8] = (byte) streamId;
    out.write(header);
    out.write(payload);
    out.flush();
  }

  /** What came back on one stream. */
  record Response(List<Http2Headers> headerBlocks, byte[] data, long resetCode) {
    /** The last value of {@code name} in any header block, or null. */
    String header(String name) {
      String value = null;
      for (Http2Headers h : headerBlocks) {
        CharSequence v = h.get(name);
        if (v != null) {
          value = v.toString();
        }
      }
      return value;
    }
  }

  /** Reads frames until {@code streamId} ends (END_STREAM or RST_STREAM) or the peer goes. */
  Response readResponse(int streamId) throws IOException {
    List<Http2Headers> blocks = new ArrayList<>();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    while (true) {
      int length =
          (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int id = in.readInt() & 0x7fffffff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      switch (type) {
        case SETTINGS -> {
          if ((flags & ACK) == 0) {
            writeFrame(SETTINGS, ACK, 0, new byte[0]);
          }
        }
        case PING -> {
          if ((flags & ACK) == 0) {
            writeFrame(PING, ACK, 0, payload);
          }
        }
        case GOAWAY -> {
          goAwayErrorCode =
              ((payload[4] & 0xffL) << 24)
                  | ((payload[5] & 0xff) << 16)
                  | ((payload[6] & 0xff) << 8)
                  | (payload[7] & 0xff);
        }
        case HEADERS -> {
          if ((flags & END_HEADERS) == 0) {
            throw new IOException("CONTINUATION not supported by this test client");
          }
          Http2Headers h = decode(id, payload, flags);
          if (id == streamId) {
            blocks.add(h);
            if ((flags & END_STREAM) != 0) {
              return new Response(blocks, data.toByteArray(), -1);
            }
          }
        }
        case DATA -> {
          if (id == streamId) {
            data.write(payload, 0, payload.length);
            if ((flags & END_STREAM) != 0) {
              return new Response(blocks, data.toByteArray(), -1);
            }
          }
        }
        case RST_STREAM -> {
          if (id == streamId) {
            long code =
                ((payload[0] & 0xffL) << 24)
                    | ((payload[1] & 0xff) << 16)
                    | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
            return new Response(blocks, data.toByteArray(), code);
          }
        }
        default -> {}
      }
    }
  }

  private Http2Headers decode(int streamId, byte[] payload, int flags) throws IOException {
    int offset = 0;
    int end = payload.length;
    if ((flags & PADDED) != 0) {
      end -= payload[0] & 0xff;
      offset = 1;
    }
    if ((flags & PRIORITY) != 0) {
      offset += 5;
    }
    ByteBuf block = Unpooled.wrappedBuffer(payload, offset, end - offset);
    try {
      return decoder.decodeHeaders(streamId, block);
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      block.release();
    }
  }

  /** True when the peer closes the connection (EOF or reset) before the read timeout. */
  boolean closedByPeer() throws IOException {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // discard whatever the server says before closing (SETTINGS, GOAWAY)
      }
      return true;
    } catch (EOFException | SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
