package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Compressor;
import dev.switchboard.api.spi.CompressorRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageDeframerTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  private static final Compressor GZIP = new CompressorRegistry().compressor("gzip");

  private final RecordingSink sink = new RecordingSink();
  private MessageDeframer deframer = new MessageDeframer(sink, ALLOC, 1 << 20, null);

  @AfterEach
  void tearDown() {
    deframer.close();
  }

  @Test
  void messagesSplitAtRandomPointsAreReassembled() {
    Random random = new Random(42);
    List<byte[]> messages = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int i = 0; i < 300; i++) {
      byte[] m = new byte[i % 7 == 0 ? 0 : random.nextInt(3000)];
      random.nextBytes(m);
      messages.add(m);
      writeFrame(wire, 0, m);
    }
    byte[] all = wire.toByteArray();
    deframer.request(Integer.MAX_VALUE);
    int pos = 0;
    while (pos < all.length) {
      int chunk = Math.min(all.length - pos, 1 + random.nextInt(700));
      deframer.deframe(copy(all, pos, chunk), false);
      pos += chunk;
    }
    deframer.deframe(Unpooled.EMPTY_BUFFER, true);

    assertEquals(messages.size(), sink.messages.size());
    for (int i = 0; i < messages.size(); i++) {
      assertArrayEquals(messages.get(i), sink.messages.get(i), "message " + i);
    }
    assertTrue(sink.ended);
    assertNull(sink.failure);
    assertEquals(all.length, sink.consumed, "every byte returned to flow control");
  }

  @Test
  void oneByteChunksAndEmptyMessages() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 0, new byte[0]);
    writeFrame(wire, 0, new byte[] {1, 2, 3});
    writeFrame(wire, 0, new byte[0]);
    byte[] all = wire.toByteArray();
    deframer.request(10);
    for (int i = 0; i < all.length; i++) {
      deframer.deframe(copy(all, i, 1), i == all.length - 1);
    }
    assertEquals(3, sink.messages.size());
    assertEquals(0, sink.messages.get(0).length);
    assertArrayEquals(new byte[] {1, 2, 3}, sink.messages.get(1));
    assertEquals(0, sink.messages.get(2).length);
    assertTrue(sink.ended);
  }

  @Test
  void deliversOnlyAsRequestedAndReturnsWindowOnlyForRequestedBytes() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 0, new byte[100]);
    writeFrame(wire, 0, new byte[200]);
    deframer.deframe(Unpooled.wrappedBuffer(wire.toByteArray()), true);
    assertEquals(0, sink.messages.size());
    assertEquals(0, sink.consumed);
    assertFalse(sink.ended);

    deframer.request(1);
    assertEquals(1, sink.messages.size());
    assertEquals(105, sink.consumed);
    assertFalse(sink.ended, "END_STREAM waits for the remaining message");

    deframer.request(1);
    assertEquals(2, sink.messages.size());
    assertEquals(310, sink.consumed);
    assertTrue(sink.ended);
  }

  @Test
  void partialBodyOfRequestedMessageReturnsWindowAsItArrives() {
    deframer.request(1);
    ByteBuf header = Unpooled.buffer().writeByte(0).writeInt(1000);
    deframer.deframe(header, false);
    deframer.deframe(Unpooled.wrappedBuffer(new byte[400]), false);
    assertEquals(405, sink.consumed, "a large message can complete with a small window");
    deframer.deframe(Unpooled.wrappedBuffer(new byte[600]), false);
    assertEquals(1005, sink.consumed);
    assertEquals(1, sink.messages.size());
  }

  @Test
  void availableIsExactRemainingBytes() {
    sink.checkAvailable = true;
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 0, new byte[1234]);
    byte[] all = wire.toByteArray();
    deframer.request(1);
    deframer.deframe(copy(all, 0, 600), false);
    deframer.deframe(copy(all, 600, all.length - 600), false);
    assertEquals(1, sink.messages.size());
    assertEquals(1234, sink.availableSeen.get(0));
  }

  @Test
  void compressedMessagesAreDecompressed() throws IOException {
    deframer = new MessageDeframer(sink, ALLOC, 1 << 20, GZIP);
    byte[] plain = "hello hello hello hello hello".repeat(100).getBytes();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 1, gzip(plain));
    writeFrame(wire, 0, new byte[] {7});
    deframer.request(2);
    deframer.deframe(Unpooled.wrappedBuffer(wire.toByteArray()), true);
    assertArrayEquals(plain, sink.messages.get(0));
    assertTrue(sink.compressedFlags.get(0));
    assertArrayEquals(new byte[] {7}, sink.messages.get(1));
    assertFalse(sink.compressedFlags.get(1));
    assertTrue(sink.ended);
  }

  @Test
  void decompressedSizeIsLimited() throws IOException {
    deframer = new MessageDeframer(sink, ALLOC, 1000, GZIP);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 1, gzip(new byte[100_000])); // compresses to far less than 1000 bytes
    deframer.request(1);
    deframer.deframe(Unpooled.wrappedBuffer(wire.toByteArray()), false);
    assertCode(Status.RESOURCE_EXHAUSTED, sink.failure);
    assertEquals(0, sink.messages.size());
  }

  @Test
  void compressedFlagWithoutEncodingIsInternal() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 1, new byte[] {1, 2});
    deframer.deframe(Unpooled.wrappedBuffer(wire.toByteArray()), false);
    assertCode(Status.INTERNAL, sink.failure);
  }

  @Test
  void badCompressedFlagIsInternalEvenBeforeRequest() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 2, new byte[] {1});
    deframer.deframe(Unpooled.wrappedBuffer(wire.toByteArray()), false);
    assertCode(Status.INTERNAL, sink.failure);
    assertTrue(deframer.isClosed());
    // Further input after the failure is released, not delivered.
    deframer.request(1);
    deframer.deframe(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 0}), true);
    assertEquals(0, sink.messages.size());
    assertFalse(sink.ended);
  }

  @Test
  void oversizeMessageIsRejectedFromItsPrefixWithoutBuffering() {
    deframer = new MessageDeframer(sink, ALLOC, 1024, null);
    ByteBuf prefixOnly = Unpooled.buffer().writeByte(0).writeInt(1025);
    deframer.deframe(prefixOnly, false);
    assertCode(Status.RESOURCE_EXHAUSTED, sink.failure);
    assertEquals("received message larger than max (1025 vs. 1024)", sink.failure.getDescription());
  }

  @Test
  void lengthAboveTwoGigabytesIsOversize() {
    ByteBuf prefixOnly = Unpooled.buffer().writeByte(0).writeInt(0xFFFFFFFF);
    deframer.deframe(prefixOnly, false);
    assertCode(Status.RESOURCE_EXHAUSTED, sink.failure);
  }

  @Test
  void endOfStreamInsideMessageIsInternal() {
    deframer.request(1);
    ByteBuf truncated = Unpooled.buffer().writeByte(0).writeInt(10).writeBytes(new byte[4]);
    deframer.deframe(truncated, true);
    assertCode(Status.INTERNAL, sink.failure);
    assertEquals(0, sink.messages.size());
  }

  @Test
  void endOfStreamInsidePrefixIsInternal() {
    deframer.deframe(Unpooled.wrappedBuffer(new byte[] {0, 0, 0}), true);
    assertCode(Status.INTERNAL, sink.failure);
  }

  @Test
  void truncatedMessageIsDetectedBeforeItIsRequested() {
    ByteBuf truncated = Unpooled.buffer().writeByte(0).writeInt(10).writeBytes(new byte[4]);
    deframer.deframe(truncated, true);
    assertCode(Status.INTERNAL, sink.failure);
  }

  @Test
  void closeReleasesUndeliveredData() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 0, new byte[50]);
    ByteBuf direct = ALLOC.directBuffer().writeBytes(wire.toByteArray());
    deframer.deframe(direct, false);
    deframer.close();
    assertEquals(0, direct.refCnt());
  }

  @Test
  void deliveredMessageOwnsItsBytesUntilClosed() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    writeFrame(wire, 0, new byte[] {9, 8, 7});
    ByteBuf direct = ALLOC.directBuffer().writeBytes(wire.toByteArray());
    sink.keepStreams = true;
    deframer.request(1);
    deframer.deframe(direct, false);
    assertTrue(direct.refCnt() > 0, "the message still references the received buffer");
    InputStream in = sink.streams.get(0);
    assertEquals(3, in.available());
    assertEquals(9, in.read());
    in.close();
    assertEquals(0, direct.refCnt());
  }

  // ---- helpers ----

  static void writeFrame(ByteArrayOutputStream out, int flag, byte[] payload) {
    out.write(flag);
    out.write(payload.length >>> 24);
    out.write(payload.length >>> 16);
    out.write(payload.length >>> 8);
    out.write(payload.length);
    out.write(payload, 0, payload.length);
  }

  private static ByteBuf copy(byte[] all, int offset, int length) {
    // Direct pooled buffers, like the codec delivers, so leaks would be detected.
    return ALLOC.directBuffer(length).writeBytes(all, offset, length);
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = GZIP.compress(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }

  /** Records what the deframer produces, reading and closing each message. */
  private static final class RecordingSink implements MessageDeframer.Sink {
    final List<byte[]> messages = new ArrayList<>();
    final List<Boolean> compressedFlags = new ArrayList<>();
    final List<Integer> availableSeen = new ArrayList<>();
    final List<InputStream> streams = new ArrayList<>();
    boolean checkAvailable;
    boolean keepStreams;
    long consumed;
    boolean ended;
    Status failure;

    @Override
    public void messageRead(InputStream message, boolean compressed) {
      compressedFlags.add(compressed);
      if (keepStreams) {
        streams.add(message);
        messages.add(null);
        return;
      }
      try (message) {
        if (checkAvailable) {
          availableSeen.add(message.available());
        }
        messages.add(message.readAllBytes());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void bytesConsumed(int numBytes) {
      consumed += numBytes;
    }

    @Override
    public void endOfStream() {
      assertFalse(ended, "endOfStream twice");
      ended = true;
    }

    @Override
    public void deframeFailed(Status status) {
      assertNull(failure, "deframeFailed twice");
      failure = status;
    }
  }
}
