package dev.switchboard.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Turns a fuzzer's bytes into what an HTTP/2 peer sends, one step at a time, for {@link
 * Http2PipelineFuzzTest}. Compact so that seeds are easy to write and mutations stay meaningful.
 *
 * <p>Each step starts with an op byte: the low 3 bits pick the kind, the high 5 bits are flags.
 *
 * <ul>
 *   <li>0 HEADERS: stream, count (mod 17), then count name/value strings, HPACK-encoded by one
 *       encoder per connection (CONTINUATION frames when over 16 KiB); flag 1 END_STREAM, flag 2
 *       PRIORITY, flag 4 PADDED (pad length byte follows the stream).
 *   <li>1 DATA: stream, 2-byte length (mod 16385), payload; flag 1 END_STREAM, flag 4 PADDED.
 *   <li>2 raw bytes: length byte, then bytes written as they are (any frame, any garbage).
 *   <li>3 RST_STREAM: stream, error code byte.
 *   <li>4 PING: 8 bytes; flag 1 ACK.
 *   <li>5 WINDOW_UPDATE: stream, 4-byte increment.
 *   <li>6 SETTINGS: flag 1 ACK (empty); else count (mod 8) of 1-byte id, 4-byte value pairs.
 *   <li>7 an action of the harness (the flags say which), no bytes on the wire.
 * </ul>
 *
 * A stream byte {@code s} means stream {@code 2s+1} below 0x80 (client-initiated: 1, 3, ...) and
 * {@code 2(s-0x80)} from 0x80 (0, 2, ...). A string is a length byte and that many bytes
 * (ISO-8859-1), or, for lengths from 0xF0, entry {@code length-0xF0} of {@link #NAMES} or {@link
 * #VALUES}. Missing input reads as zeros.
 */
final class FuzzFrames {
  static final int HEADERS = 0;
  static final int DATA = 1;
  static final int RAW = 2;
  static final int RST_STREAM = 3;
  static final int PING = 4;
  static final int WINDOW_UPDATE = 5;
  static final int SETTINGS = 6;
  static final int ACTION = 7;

  static final String[] NAMES = {
    ":method",
    ":path",
    ":scheme",
    ":authority",
    ":status",
    "content-type",
    "te",
    "grpc-timeout",
    "grpc-encoding",
    "grpc-accept-encoding",
    "grpc-status",
    "grpc-message",
    "user-agent",
    "custom-bin",
    "x-custom",
    "grpc-retry-pushback-ms"
  };
  static final String[] VALUES = {
    "POST",
    "/pkg.Svc/Method",
    "http",
    "localhost",
    "200",
    "application/grpc",
    "trailers",
    "1S",
    "gzip",
    "identity",
    "0",
    "%F0%9F%98%80 msg%",
    "ZGF0YQ==",
    "application/grpc+proto",
    "GET",
    "99999999n"
  };

  private static final int MAX_FRAME = 16384;
  private static final int FLAG_END_STREAM = 0x1;
  private static final int FLAG_END_HEADERS = 0x4;
  private static final int FLAG_PADDED = 0x8;
  private static final int FLAG_PRIORITY = 0x20;

  private final byte[] in;
  private final ByteBufAllocator alloc;
  private final Http2HeadersEncoder hpack =
      new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
  private int pos;

  FuzzFrames(byte[] in, ByteBufAllocator alloc) {
    this.in = in;
    this.alloc = alloc;
  }

  boolean hasMore() {
    return pos < in.length;
  }

  /** The op byte of the next step. */
  int op() {
    return u8();
  }

  /**
   * The bytes of the step whose op byte was {@code op} (the caller owns them), or null for {@link
   * #ACTION} and for headers the encoder refuses.
   */
  ByteBuf frame(int op) {
    int flags = op >>> 3;
    return switch (op & 7) {
      case HEADERS -> headers(flags);
      case DATA -> data(flags);
      case RAW -> raw();
      case RST_STREAM -> {
        int stream = stream();
        yield frame(3, 0, stream, alloc.buffer(4).writeInt(u8()));
      }
      case PING -> frame(6, flags & 1, 0, alloc.buffer(8).writeBytes(bytes(8)));
      case WINDOW_UPDATE -> {
        int stream = stream();
        yield frame(8, 0, stream, alloc.buffer(4).writeInt(u32()));
      }
      case SETTINGS -> settings(flags);
      default -> null;
    };
  }

  /** The flags of an {@link #ACTION} op. */
  static int actionOf(int op) {
    return op >>> 3;
  }

  private ByteBuf headers(int flags) {
    int stream = stream();
    int pad = (flags & 4) != 0 ? u8() : -1;
    int count = u8() % 17;
    Http2Headers h = new DefaultHttp2Headers(false);
    for (int i = 0; i < count; i++) {
      h.add(string(NAMES), string(VALUES));
    }
    ByteBuf block = alloc.buffer();
    try {
      hpack.encodeHeaders(stream, h, block);
    } catch (Http2Exception | RuntimeException e) {
      block.release();
      return null;
    }
    int frameFlags = (flags & 1) != 0 ? FLAG_END_STREAM : 0;
    ByteBuf first = alloc.buffer();
    if (pad >= 0) {
      frameFlags |= FLAG_PADDED;
      first.writeByte(pad);
    }
    if ((flags & 2) != 0) {
      frameFlags |= FLAG_PRIORITY;
      first.writeInt(stream + 2).writeByte(15); // depends on a later stream, weight 16
    }
    int room = MAX_FRAME - first.readableBytes() - Math.max(pad, 0);
    boolean oneFrame = block.readableBytes() <= room;
    first.writeBytes(block, Math.min(room, block.readableBytes()));
    if (pad > 0) {
      first.writeZero(pad);
    }
    ByteBuf out = frame(1, frameFlags | (oneFrame ? FLAG_END_HEADERS : 0), stream, first);
    while (block.isReadable()) {
      int n = Math.min(MAX_FRAME, block.readableBytes());
      boolean last = n == block.readableBytes();
      ByteBuf part = alloc.buffer(n).writeBytes(block, n);
      ByteBuf continuation = frame(9, last ? FLAG_END_HEADERS : 0, stream, part);
      out = alloc.compositeBuffer().addComponents(true, out, continuation);
    }
    block.release();
    return out;
  }

  private ByteBuf data(int flags) {
    int stream = stream();
    int pad = (flags & 4) != 0 ? u8() : -1;
    int length = ((u8() << 8) | u8()) % (MAX_FRAME + 1);
    length = Math.min(length, Math.max(0, MAX_FRAME - 1 - Math.max(pad, 0)));
    ByteBuf payload = alloc.buffer(length + 1 + Math.max(pad, 0));
    int frameFlags = (flags & 1) != 0 ? FLAG_END_STREAM : 0;
    if (pad >= 0) {
      frameFlags |= FLAG_PADDED;
      payload.writeByte(pad);
    }
    payload.writeBytes(bytes(Math.min(length, in.length - pos)));
    if (pad > 0) {
      payload.writeZero(pad);
    }
    return frame(0, frameFlags, stream, payload);
  }

  private ByteBuf raw() {
    int length = Math.min(u8(), in.length - pos);
    return alloc.buffer(length).writeBytes(bytes(length));
  }

  private ByteBuf settings(int flags) {
    if ((flags & 1) != 0) {
      return frame(4, 1, 0, alloc.buffer(0));
    }
    int count = u8() % 8;
    ByteBuf payload = alloc.buffer(count * 6);
    for (int i = 0; i < count; i++) {
      payload.writeShort(u8()).writeInt(u32());
    }
    return frame(4, 0, 0, payload);
  }

  /** A frame: 9-byte header, then {@code payload}, which is released. */
  ByteBuf frame(int type, int flags, int streamId, ByteBuf payload) {
    ByteBuf f = alloc.buffer(9 + payload.readableBytes());
    f.writeMedium(payload.readableBytes()).writeByte(type).writeByte(flags).writeInt(streamId);
    f.writeBytes(payload);
    payload.release();
    return f;
  }

  private int stream() {
    int s = u8();
    return s < 0x80 ? 2 * s + 1 : 2 * (s - 0x80);
  }

  private CharSequence string(String[] table) {
    int length = u8();
    if (length >= 0xF0) {
      return table[length - 0xF0];
    }
    return new String(bytes(Math.min(length, in.length - pos)), StandardCharsets.ISO_8859_1);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) u8();
    }
    return b;
  }

  private int u8() {
    return pos < in.length ? in[pos++] & 0xFF : 0;
  }

  private int u32() {
    return (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
  }
}
