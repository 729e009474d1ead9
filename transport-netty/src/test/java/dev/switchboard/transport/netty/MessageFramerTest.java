package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.Compressor;
import dev.switchboard.api.spi.CompressorRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

class MessageFramerTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  private static final Compressor GZIP = new CompressorRegistry().compressor("gzip");

  @Test
  void knownSizeIsFramedExactly() throws Exception {
    MessageFramer framer = new MessageFramer(ALLOC, -1);
    ByteBuf frame = framer.frame(new byte[] {1, 2, 3}, ByteArrayMarshaller.INSTANCE, null);
    try {
      assertEquals(8, frame.readableBytes());
      assertEquals(0, frame.getByte(0));
      assertEquals(3, frame.getInt(1));
      assertEquals(8, frame.capacity(), "allocated once at the exact size");
    } finally {
      frame.release();
    }
  }

  /** Writes in place when asked; {@code short} by one byte when {@code shortBy} is 1. */
  private static Marshaller<byte[]> inPlace(int[] calls, int shortBy) {
    return new Marshaller<>() {
      @Override
      public int sizeOf(byte[] message) {
        return message.length;
      }

      @Override
      public void encode(byte[] message, OutputStream out) {
        throw new AssertionError("the in-place path should have been taken");
      }

      @Override
      public boolean encodeTo(byte[] message, java.nio.ByteBuffer target) {
        calls[0]++;
        target.put(message, 0, message.length - shortBy);
        return true;
      }

      @Override
      public byte[] decode(InputStream in) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void marshallerWritesStraightIntoTheFrame() throws Exception {
    int[] calls = {0};
    MessageFramer framer = new MessageFramer(ALLOC, -1);
    ByteBuf frame = framer.frame(new byte[] {7, 8, 9, 10}, inPlace(calls, 0), null);
    try {
      assertEquals(1, calls[0]);
      assertEquals(9, frame.readableBytes());
      assertEquals(4, frame.getInt(1));
      byte[] body = new byte[4];
      frame.getBytes(5, body);
      assertArrayEquals(new byte[] {7, 8, 9, 10}, body);
    } finally {
      frame.release();
    }
  }

  @Test
  void inPlaceWriteShortOfItsSizeIsInternal() {
    MessageFramer framer = new MessageFramer(ALLOC, -1);
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> framer.frame(new byte[] {1, 2, 3}, inPlace(new int[1], 1), null));
    assertCode(Status.INTERNAL, e.getStatus());
  }

  @Test
  void unknownSizeGrows() throws Exception {
    MessageFramer framer = new MessageFramer(ALLOC, -1);
    ByteBuf frame = framer.frame(new byte[5000], ByteArrayMarshaller.UNSIZED, null);
    try {
      assertEquals(5005, frame.readableBytes());
      assertEquals(5000, frame.getInt(1));
    } finally {
      frame.release();
    }
  }

  @Test
  void compressedRoundTrip() throws Exception {
    MessageFramer framer = new MessageFramer(ALLOC, -1);
    byte[] plain = "abcabcabc".repeat(500).getBytes();
    ByteBuf frame = framer.frame(plain, ByteArrayMarshaller.INSTANCE, GZIP);
    try {
      assertEquals(1, frame.getByte(0));
      int length = frame.getInt(1);
      assertEquals(frame.readableBytes() - 5, length);
      frame.skipBytes(5);
      try (InputStream in = GZIP.decompress(new ByteBufInputStream(frame))) {
        assertArrayEquals(plain, in.readAllBytes());
      }
    } finally {
      frame.release();
    }
  }

  @Test
  void oversizeIsResourceExhaustedBeforeEncoding() {
    MessageFramer framer = new MessageFramer(ALLOC, 10);
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> framer.frame(new byte[11], ByteArrayMarshaller.INSTANCE, null));
    assertCode(Status.RESOURCE_EXHAUSTED, e.getStatus());
  }

  @Test
  void oversizeWithUnknownSizeIsCaughtAfterEncodingAndReleased() {
    MessageFramer framer = new MessageFramer(ALLOC, 10);
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> framer.frame(new byte[11], ByteArrayMarshaller.UNSIZED, GZIP));
    assertCode(Status.RESOURCE_EXHAUSTED, e.getStatus());
  }

  @Test
  void marshallerFailureIsInternalAndReleasesTheBuffer() {
    MessageFramer framer = new MessageFramer(ALLOC, -1);
    Marshaller<String> failing =
        new Marshaller<>() {
          @Override
          public int sizeOf(String message) {
            return 100;
          }

          @Override
          public void encode(String message, OutputStream out) throws IOException {
            out.write(new byte[10]);
            throw new IOException("boom");
          }

          @Override
          public String decode(InputStream in) {
            throw new UnsupportedOperationException();
          }
        };
    StatusException e = assertThrows(StatusException.class, () -> framer.frame("x", failing, null));
    assertCode(Status.INTERNAL, e.getStatus());
  }
}
