package dev.switchboard.transport.netty;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Encodes one outbound message into a pooled buffer: the 5-byte gRPC prefix followed by the
 * marshalled (and optionally compressed) bytes. Runs on the sending thread, so the event loop only
 * writes finished buffers. One per stream, used by one thread at a time (the stream's writer): it
 * keeps the last message's uncompressed size for telemetry.
 *
 * <p>With a known {@link Marshaller#sizeOf size} and no compression the buffer is allocated at its
 * exact final size, once.
 */
final class MessageFramer {
  private static final int UNKNOWN_SIZE_GUESS = 256;

  private final ByteBufAllocator alloc;
  private final int maxOutboundMessageSize;
  private long lastUncompressedSize;

  /**
   * @param maxOutboundMessageSize largest uncompressed message, or {@code -1} for no limit
   */
  MessageFramer(ByteBufAllocator alloc, int maxOutboundMessageSize) {
    this.alloc = alloc;
    this.maxOutboundMessageSize = maxOutboundMessageSize;
  }

  /**
   * Returns the framed message, owned by the caller.
   *
   * @param compressor compresses the message when non-null
   * @throws StatusException RESOURCE_EXHAUSTED over the size limit, INTERNAL when encoding fails;
   *     nothing is left allocated
   */
  <T> ByteBuf frame(T message, Marshaller<T> marshaller, Compressor compressor)
      throws StatusException {
    int knownSize;
    try {
      knownSize = marshaller.sizeOf(message);
    } catch (RuntimeException e) {
      throw Status.INTERNAL.withDescription("failed to size message").withCause(e).asException();
    }
    checkSize(knownSize);
    int initial =
        MessageDeframer.HEADER_LENGTH
            + (knownSize >= 0 && compressor == null ? knownSize : UNKNOWN_SIZE_GUESS);
    ByteBuf buf = alloc.buffer(initial);
    boolean done = false;
    try {
      buf.writerIndex(MessageDeframer.HEADER_LENGTH);
      long uncompressed;
      if (compressor == null) {
        if (knownSize < 0 || !encodeInPlace(message, marshaller, buf, knownSize)) {
          marshaller.encode(message, new ByteBufOutputStream(buf));
        }
        uncompressed = buf.writerIndex() - MessageDeframer.HEADER_LENGTH;
      } else {
        CountingOutputStream counting =
            new CountingOutputStream(compressor.compress(new ByteBufOutputStream(buf)));
        marshaller.encode(message, counting);
        counting.close(); // finishes the compressed data
        uncompressed = counting.count;
      }
      checkSize(uncompressed);
      lastUncompressedSize = uncompressed;
      buf.setByte(0, compressor == null ? 0 : 1);
      buf.setInt(1, buf.writerIndex() - MessageDeframer.HEADER_LENGTH);
      done = true;
      return buf;
    } catch (IOException | RuntimeException e) {
      throw Status.INTERNAL.withDescription("failed to encode message").withCause(e).asException();
    } finally {
      if (!done) {
        buf.release();
      }
    }
  }

  /** {@return the uncompressed size of the message the last successful {@link #frame} framed} */
  long lastUncompressedSize() {
    return lastUncompressedSize;
  }

  /**
   * Lets the marshaller write straight into {@code buf}'s memory when that is one NIO buffer (as a
   * pooled buffer of one chunk is); false when it declined or could not, with nothing written.
   */
  private static <T> boolean encodeInPlace(
      T message, Marshaller<T> marshaller, ByteBuf buf, int size) throws IOException {
    if (size == 0) {
      return true;
    }
    buf.ensureWritable(size);
    if (buf.nioBufferCount() != 1) {
      return false;
    }
    ByteBuffer target = buf.nioBuffer(buf.writerIndex(), size);
    if (!marshaller.encodeTo(message, target)) {
      return false;
    }
    if (target.hasRemaining()) {
      throw new IOException(
          marshaller + " wrote " + (size - target.remaining()) + " of the " + size + " bytes");
    }
    buf.writerIndex(buf.writerIndex() + size);
    return true;
  }

  private void checkSize(long size) throws StatusException {
    if (maxOutboundMessageSize >= 0 && size > maxOutboundMessageSize) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              "trying to send message larger than max ("
                  + size
                  + " vs. "
                  + maxOutboundMessageSize
                  + ")")
          .asException();
    }
  }

  /** Counts the uncompressed bytes the marshaller writes. */
  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
