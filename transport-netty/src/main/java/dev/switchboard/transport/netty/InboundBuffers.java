package dev.switchboard.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;

/**
 * The deframer's cumulation: received DATA payloads in arrival order, read across buffer boundaries
 * without copying. Owns one reference to every buffer it holds; {@link #release} gives them all
 * back. Not thread-safe (event loop only).
 *
 * <p>Messages are cut out as retained slices of the underlying buffers (a composite of slices when
 * a message spans several), so a delivered message keeps only its own bytes' buffers alive and the
 * queue can drop consumed buffers at once.
 */
final class InboundBuffers {
  private final ArrayDeque<ByteBuf> buffers = new ArrayDeque<>(4);
  private int readable;

  /** Takes ownership of {@code buf}. */
  void add(ByteBuf buf) {
    int n = buf.readableBytes();
    if (n == 0) {
      buf.release();
      return;
    }
    buffers.addLast(buf);
    readable += n;
  }

  int readableBytes() {
    return readable;
  }

  /** The unsigned byte {@code index} bytes past the read position. */
  int getUnsignedByte(int index) {
    for (ByteBuf b : buffers) {
      int n = b.readableBytes();
      if (index < n) {
        return b.getUnsignedByte(b.readerIndex() + index);
      }
      index -= n;
    }
    throw new IndexOutOfBoundsException("index past readable bytes");
  }

  /** The big-endian unsigned 32-bit integer {@code index} bytes past the read position. */
  long getUnsignedInt(int index) {
    return ((long) getUnsignedByte(index) << 24)
        | ((long) getUnsignedByte(index + 1) << 16)
        | ((long) getUnsignedByte(index + 2) << 8)
        | getUnsignedByte(index + 3);
  }

  void skipBytes(int count) {
    checkReadable(count);
    while (count > 0) {
      ByteBuf head = buffers.peekFirst();
      int k = Math.min(count, head.readableBytes());
      head.skipBytes(k);
      count -= k;
      readable -= k;
      dropHeadIfConsumed(head);
    }
  }

  /**
   * Removes the next {@code length} bytes and returns them as a buffer the caller owns (release it
   * once).
   */
  ByteBuf readRetained(ByteBufAllocator alloc, int length) {
    checkReadable(length);
    if (length == 0) {
      return Unpooled.EMPTY_BUFFER;
    }
    ByteBuf head = buffers.peekFirst();
    if (head.readableBytes() >= length) {
      ByteBuf slice = head.readRetainedSlice(length);
      readable -= length;
      dropHeadIfConsumed(head);
      return slice;
    }
    CompositeByteBuf composite = alloc.compositeBuffer(Integer.MAX_VALUE);
    int remaining = length;
    while (remaining > 0) {
      head = buffers.peekFirst();
      int k = Math.min(remaining, head.readableBytes());
      composite.addComponent(true, head.readRetainedSlice(k));
      remaining -= k;
      readable -= k;
      dropHeadIfConsumed(head);
    }
    return composite;
  }

  /** Releases every buffer held. Idempotent. */
  void release() {
    ByteBuf b;
    while ((b = buffers.pollFirst()) != null) {
      b.release();
    }
    readable = 0;
  }

  private void dropHeadIfConsumed(ByteBuf head) {
    if (!head.isReadable()) {
      buffers.pollFirst();
      head.release();
    }
  }

  private void checkReadable(int count) {
    if (count < 0 || count > readable) {
      throw new IndexOutOfBoundsException(count + " bytes requested, " + readable + " readable");
    }
  }
}
