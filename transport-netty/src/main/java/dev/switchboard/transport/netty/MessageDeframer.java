package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts the gRPC length-prefixed messages out of a stream's DATA payloads and delivers them as
 * {@link #request requested}. Owned by one stream; event loop only; not thread-safe.
 *
 * <p>Wire format: a 1-byte compressed flag (0 or 1), a 4-byte big-endian length, then the message.
 * Payloads may split messages anywhere; they are accumulated without copying in {@link
 * InboundBuffers}.
 *
 * <p>Flow control: the {@link Sink} is told about consumed bytes only for the message being
 * assembled because the listener asked for it (its prefix and body bytes as they arrive) so the
 * stream can return exactly that much HTTP/2 window. Bytes of messages nobody asked for stay
 * unconsumed, which stops the peer after one window.
 *
 * <p>Errors end deframing and are reported once through {@link Sink#deframeFailed}: a flag other
 * than 0/1 or a compressed message without {@code grpc-encoding} (INTERNAL), a message larger than
 * the limit (RESOURCE_EXHAUSTED, detected from the prefix, before the body is buffered; also
 * checked after decompression), END_STREAM inside a message (INTERNAL).
 *
 * <p>Ownership: {@link #deframe} takes the buffer; a delivered {@link InputStream} owns its bytes
 * and releases them on {@code close()}; {@link #close} releases everything not yet delivered.
 */
final class MessageDeframer {
  static final int HEADER_LENGTH = 5;
  private static final int COMPRESSED_FLAG = 1;
  private static final int DECOMPRESS_CHUNK = 8192;

  /** Receives what the deframer produces. Called on the event loop, from deframe/request. */
  interface Sink {
    /**
     * The sizes of the message the next {@link #messageRead} delivers: as received without its
     * prefix, and decompressed.
     */
    default void messageSizes(int wireSize, int uncompressedSize) {}

    /** A whole message; the receiver owns and must close {@code message}. */
    void messageRead(InputStream message, boolean compressed);

    /** {@code numBytes} more received bytes were consumed for a requested message. */
    void bytesConsumed(int numBytes);

    /** END_STREAM was seen and every message before it has been delivered. Once. */
    void endOfStream();

    /** Deframing failed; nothing more will be delivered. Once. */
    void deframeFailed(Status status);
  }

  private final Sink sink;
  private final ByteBufAllocator alloc;
  private final int maxMessageSize;
  private final InboundBuffers unprocessed = new InboundBuffers();
  private Compressor decompressor;

  private int pendingDeliveries;
  private boolean endOfStreamSeen;
  private boolean closed;
  private boolean delivering;
  // The message being assembled (after its prefix was consumed).
  private boolean inBody;
  private boolean bodyCompressed;
  private int bodyLength;
  private int bodyBytesConsumed;

  /**
   * @param maxMessageSize largest message accepted, before and after decompression
   * @param decompressor for compressed messages, {@code null} when the peer named no encoding
   */
  MessageDeframer(Sink sink, ByteBufAllocator alloc, int maxMessageSize, Compressor decompressor) {
    this.sink = sink;
    this.alloc = alloc;
    this.maxMessageSize = maxMessageSize;
    this.decompressor = decompressor;
  }

  /** Sets the decompressor named by the peer's headers (client side: response headers). */
  void setDecompressor(Compressor decompressor) {
    this.decompressor = decompressor;
  }

  /** Allows {@code numMessages} more deliveries. */
  void request(int numMessages) {
    if (numMessages <= 0) {
      throw new IllegalArgumentException("numMessages must be positive: " + numMessages);
    }
    if (closed) {
      return;
    }
    int sum = pendingDeliveries + numMessages;
    pendingDeliveries = sum < 0 ? Integer.MAX_VALUE : sum;
    deliver();
  }

  /** Adds received bytes (ownership passes here) and, when {@code endOfStream}, marks the end. */
  void deframe(ByteBuf data, boolean endOfStream) {
    if (closed) {
      data.release();
      return;
    }
    unprocessed.add(data);
    endOfStreamSeen |= endOfStream;
    deliver();
  }

  /** Stops: releases everything undelivered; no further sink calls. Idempotent. */
  void close() {
    closed = true;
    unprocessed.release();
  }

  boolean isClosed() {
    return closed;
  }

  private void deliver() {
    if (delivering) {
      return; // a sink callback asked for more: the running loop picks it up
    }
    delivering = true;
    try {
      while (!closed) {
        if (!inBody && !readHeader()) {
          break;
        }
        if (closed) {
          return;
        }
        int arrived = Math.min(unprocessed.readableBytes(), bodyLength);
        if (arrived > bodyBytesConsumed) {
          sink.bytesConsumed(arrived - bodyBytesConsumed);
          bodyBytesConsumed = arrived;
        }
        if (unprocessed.readableBytes() < bodyLength) {
          break;
        }
        ByteBuf body = unprocessed.readRetained(alloc, bodyLength);
        boolean compressed = bodyCompressed;
        inBody = false;
        pendingDeliveries--;
        if (compressed) {
          body = decompress(body);
          if (body == null) {
            return;
          }
        }
        sink.messageSizes(bodyLength, body.readableBytes());
        sink.messageRead(new ByteBufInputStream(body, true), compressed);
      }
      if (!closed && endOfStreamSeen) {
        checkEndOfStream();
      }
    } finally {
      delivering = false;
    }
  }

  /**
   * Validates the next prefix as soon as it is readable, and consumes it only when a delivery is
   * pending. Returns true when a body is now being assembled.
   */
  private boolean readHeader() {
    if (unprocessed.readableBytes() < HEADER_LENGTH) {
      return false;
    }
    int flags = unprocessed.getUnsignedByte(0);
    long length = unprocessed.getUnsignedInt(1);
    if ((flags & ~COMPRESSED_FLAG) != 0) {
      fail(
          Status.INTERNAL.withDescription(
              "gRPC frame header malformed: compressed flag is " + flags + ", not 0 or 1"));
      return false;
    }
    if (length > maxMessageSize) {
      fail(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "received message larger than max (" + length + " vs. " + maxMessageSize + ")"));
      return false;
    }
    if (flags == COMPRESSED_FLAG && decompressor == null) {
      fail(
          Status.INTERNAL.withDescription(
              "received a compressed message but the stream has no grpc-encoding"));
      return false;
    }
    if (pendingDeliveries == 0) {
      return false;
    }
    unprocessed.skipBytes(HEADER_LENGTH);
    sink.bytesConsumed(HEADER_LENGTH);
    inBody = true;
    bodyCompressed = flags == COMPRESSED_FLAG;
    bodyLength = (int) length;
    bodyBytesConsumed = 0;
    return true;
  }

  private void checkEndOfStream() {
    int readable = unprocessed.readableBytes();
    if (!inBody && readable == 0) {
      closed = true;
      unprocessed.release();
      sink.endOfStream();
      return;
    }
    boolean truncated =
        inBody
            || readable < HEADER_LENGTH
            || readable < HEADER_LENGTH + unprocessed.getUnsignedInt(1);
    if (truncated) {
      fail(Status.INTERNAL.withDescription("Encountered end-of-stream mid-frame"));
    }
    // Otherwise whole messages wait for request(); the end is reported after them.
  }

  /** Returns the decompressed message (owned by the caller), or null after reporting failure. */
  private ByteBuf decompress(ByteBuf compressed) {
    ByteBuf out = null;
    int compressedLength = compressed.readableBytes();
    try (ByteBufInputStream raw = new ByteBufInputStream(compressed, true);
        InputStream in = decompressor.decompress(raw)) {
      out = alloc.buffer(Math.min(maxMessageSize, Math.max(256, compressedLength * 2)));
      while (true) {
        out.ensureWritable(DECOMPRESS_CHUNK);
        if (out.writeBytes(in, out.writableBytes()) < 0) {
          break;
        }
        if (out.readableBytes() > maxMessageSize) {
          out.release();
          fail(
              Status.RESOURCE_EXHAUSTED.withDescription(
                  "decompressed message larger than max (more than " + maxMessageSize + ")"));
          return null;
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      if (out != null) {
        out.release();
      }
      fail(
          Status.INTERNAL
              .withDescription("failed to decompress message with " + decompressor.name())
              .withCause(e));
      return null;
    }
  }

  private void fail(Status status) {
    close();
    sink.deframeFailed(status);
  }
}
