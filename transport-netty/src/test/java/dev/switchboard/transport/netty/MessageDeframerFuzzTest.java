package dev.switchboard.transport.netty;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Compressor;
import dev.switchboard.api.spi.CompressorRegistry;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzz test (Jazzer) of {@link MessageDeframer}: a stream's DATA bytes arriving in
 * arbitrary chunks, interleaved with {@code request}, with and without a gzip decompressor, under
 * small and large size limits, ending with or without END_STREAM.
 *
 * <p>Only the documented refusals may happen: INTERNAL (bad flag, compressed without encoding, bad
 * gzip, end-of-stream mid-message) or RESOURCE_EXHAUSTED (size), reported once, after which the
 * sink hears nothing. Uncompressed messages must equal what a plain reading of the bytes gives;
 * every message respects the limit; no more bytes are returned to flow control than arrived; and,
 * after {@code close()}, every buffer is released: the allocator's used memory is checked per
 * input, exactly (the leak detector, PARANOID in tests, also runs after the test).
 *
 * <p>Input layout (so seeds are easy to write): byte 0 configures (bit 0: gzip decompressor; bits
 * 1-2: limit 64 KiB / 300 / 5 / 0 bytes; bit 3: request one message per chunk instead of all at
 * once; bit 4: END_STREAM with the last chunk); byte 1 seeds the chunk sizes; the rest is the wire.
 * Regression inputs live under {@code src/test/resources/.../MessageDeframerFuzzTestInputs}.
 */
class MessageDeframerFuzzTest {
  private static final Compressor GZIP = new CompressorRegistry().compressor("gzip");
  private static final int[] LIMITS = {1 << 16, 300, 5, 0};
  // Status before Status.Code (see StatusAssert).
  private static final Status.Code INTERNAL = Status.INTERNAL.getCode();
  private static final Status.Code RESOURCE_EXHAUSTED = Status.RESOURCE_EXHAUSTED.getCode();

  // Exact accounting of live buffers; no leak-detector wrappers (slow in PARANOID, and the check
  // below is exact).
  private static final UnpooledByteBufAllocator ALLOC =
      new UnpooledByteBufAllocator(false, true, false);

  @FuzzTest(maxDuration = "30s")
  void deframe(byte[] input) {
    if (input == null || input.length < 2) {
      return;
    }
    int config = input[0];
    boolean gzip = (config & 1) != 0;
    int limit = LIMITS[(config >>> 1) & 3];
    boolean requestPerChunk = (config & 8) != 0;
    boolean endOfStream = (config & 16) != 0;
    int chunkSeed = input[1] & 0xFF;
    byte[] wire = Arrays.copyOfRange(input, 2, input.length);

    CheckingSink sink = new CheckingSink(limit);
    MessageDeframer deframer = new MessageDeframer(sink, ALLOC, limit, gzip ? GZIP : null);
    sink.deframer = deframer;
    if (!requestPerChunk) {
      deframer.request(Integer.MAX_VALUE);
    }
    int pos = 0;
    int step = chunkSeed;
    do {
      step = (step * 73 + 41) & 0xFF;
      int chunk = Math.min(wire.length - pos, 1 + (step % (1 + chunkSeed)));
      boolean last = pos + chunk == wire.length;
      deframer.deframe(ALLOC.heapBuffer(chunk).writeBytes(wire, pos, chunk), last && endOfStream);
      sink.fed += chunk;
      pos += chunk;
      if (requestPerChunk) {
        deframer.request(1);
      }
    } while (pos < wire.length);
    deframer.request(Integer.MAX_VALUE); // drain whatever whole messages wait
    deframer.close();

    check(sink.consumed <= sink.fed, "consumed " + sink.consumed + " of " + sink.fed + " bytes");
    checkAgainstPlainReading(wire, limit, gzip, endOfStream, sink);
    ByteBufAllocatorMetric metric = ALLOC.metric();
    long used = metric.usedHeapMemory() + metric.usedDirectMemory();
    if (used != 0) {
      throw new AssertionError("leaked " + used + " bytes of buffers");
    }
  }

  /**
   * Reads the wire the simple way and compares: the messages delivered are the leading whole
   * frames, uncompressed ones byte for byte; the outcome (failure, end, neither) is the one the
   * bytes call for.
   */
  private static void checkAgainstPlainReading(
      byte[] wire, int limit, boolean gzip, boolean endOfStream, CheckingSink sink) {
    int pos = 0;
    int index = 0;
    while (wire.length - pos >= MessageDeframer.HEADER_LENGTH) {
      int flag = wire[pos] & 0xFF;
      long length =
          ((wire[pos + 1] & 0xFFL) << 24)
              | ((wire[pos + 2] & 0xFFL) << 16)
              | ((wire[pos + 3] & 0xFFL) << 8)
              | (wire[pos + 4] & 0xFFL);
      if (flag > 1) {
        expectFailure(sink, INTERNAL, index);
        return;
      }
      if (length > limit) {
        expectFailure(sink, RESOURCE_EXHAUSTED, index);
        return;
      }
      if (flag == 1 && !gzip) {
        expectFailure(sink, INTERNAL, index);
        return;
      }
      if (wire.length - pos - MessageDeframer.HEADER_LENGTH < length) {
        break; // incomplete body
      }
      int start = pos + MessageDeframer.HEADER_LENGTH;
      pos = start + (int) length;
      if (flag == 1) {
        if (sink.failure != null && sink.messages.size() == index) {
          return; // the decompressor refused this one (checked in the sink)
        }
      } else {
        check(index < sink.messages.size(), "message " + index + " not delivered");
        check(
            Arrays.equals(Arrays.copyOfRange(wire, start, pos), sink.messages.get(index)),
            "message " + index + " differs");
      }
      index++;
    }
    check(sink.messages.size() == index, sink.messages.size() + " messages, expected " + index);
    boolean whole = pos == wire.length;
    if (endOfStream && !whole) {
      expectFailure(sink, INTERNAL, index);
    } else {
      check(sink.failure == null, "unexpected failure " + sink.failure);
      check(sink.ended == endOfStream, "endOfStream reported: " + sink.ended);
      // Everything was requested: the window comes back for every whole message, and for the
      // prefix and arrived body bytes of the one being assembled.
      long expected = wire.length - pos >= MessageDeframer.HEADER_LENGTH ? wire.length : pos;
      check(sink.consumed == expected, "consumed " + sink.consumed + ", expected " + expected);
    }
  }

  private static void expectFailure(CheckingSink sink, Status.Code code, int delivered) {
    check(sink.failure != null, "no failure, expected " + code);
    check(sink.failure.getCode() == code, "failure " + sink.failure + ", expected " + code);
    check(sink.messages.size() == delivered, sink.messages.size() + " messages before failure");
    check(!sink.ended, "endOfStream after a failure");
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  /** Reads and closes every message; fails on any call the deframer's contract rules out. */
  private static final class CheckingSink implements MessageDeframer.Sink {
    final int limit;
    final List<byte[]> messages = new ArrayList<>();
    MessageDeframer deframer;
    long fed;
    long consumed;
    boolean ended;
    Status failure;

    CheckingSink(int limit) {
      this.limit = limit;
    }

    @Override
    public void messageRead(InputStream message, boolean compressed) {
      checkOpen("messageRead");
      try (message) {
        byte[] bytes = message.readAllBytes();
        check(bytes.length <= limit, "message of " + bytes.length + " bytes over " + limit);
        messages.add(bytes);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void bytesConsumed(int numBytes) {
      checkOpen("bytesConsumed");
      check(numBytes > 0, "bytesConsumed(" + numBytes + ")");
      consumed += numBytes;
    }

    @Override
    public void endOfStream() {
      checkOpen("endOfStream");
      ended = true;
    }

    @Override
    public void deframeFailed(Status status) {
      checkOpen("deframeFailed");
      Status.Code code = status.getCode();
      check(code == INTERNAL || code == RESOURCE_EXHAUSTED, "undocumented refusal " + status);
      check(deframer.isClosed(), "failed but not closed");
      failure = status;
    }

    private void checkOpen(String call) {
      check(!ended && failure == null, call + " after the end (" + failure + ")");
    }
  }
}
