package dev.switchboard.api.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireFormatTest {
  @Test
  void encodeTimeoutChoosesFinestUnitWithinEightDigits() {
    assertEquals("1n", WireFormat.encodeTimeout(0));
    assertEquals("1n", WireFormat.encodeTimeout(-5));
    assertEquals("1n", WireFormat.encodeTimeout(1));
    assertEquals("99999999n", WireFormat.encodeTimeout(99_999_999L));
    assertEquals("100000u", WireFormat.encodeTimeout(100_000_000L));
    assertEquals("1000000u", WireFormat.encodeTimeout(TimeUnit.SECONDS.toNanos(1)));
    assertEquals("100000m", WireFormat.encodeTimeout(TimeUnit.SECONDS.toNanos(100)));
    assertEquals("100000S", WireFormat.encodeTimeout(TimeUnit.SECONDS.toNanos(100_000)));
    assertEquals("1666667M", WireFormat.encodeTimeout(TimeUnit.SECONDS.toNanos(100_000_000)));
    assertEquals("2562048H", WireFormat.encodeTimeout(Long.MAX_VALUE)); // 292 years, in hours
  }

  @Test
  void encodeTimeoutRoundsUpNeverDown() {
    // 100_000_001 ns does not fit as nanos; 100001 us is the smallest value >= it.
    assertEquals("100001u", WireFormat.encodeTimeout(100_000_001L));
  }

  @Test
  void encodedTimeoutsParseBackToAtLeastTheOriginal() {
    Random r = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      long nanos = Math.abs(r.nextLong()) >>> r.nextInt(63);
      if (nanos == 0) {
        continue;
      }
      long parsed = WireFormat.parseTimeout(WireFormat.encodeTimeout(nanos));
      if (parsed < nanos
          || (nanos < TimeUnit.HOURS.toNanos(99_999_999L)
              && parsed - nanos > nanos / 1000 + 60_000_000_000L)) {
        throw new AssertionError(
            nanos + " -> " + WireFormat.encodeTimeout(nanos) + " -> " + parsed);
      }
    }
  }

  @Test
  void parseTimeoutUnits() {
    assertEquals(5, WireFormat.parseTimeout("5n"));
    assertEquals(5_000, WireFormat.parseTimeout("5u"));
    assertEquals(5_000_000, WireFormat.parseTimeout("5m"));
    assertEquals(5_000_000_000L, WireFormat.parseTimeout("5S"));
    assertEquals(TimeUnit.MINUTES.toNanos(5), WireFormat.parseTimeout("5M"));
    assertEquals(TimeUnit.HOURS.toNanos(5), WireFormat.parseTimeout("5H"));
    assertEquals(TimeUnit.HOURS.toNanos(99_999_999), WireFormat.parseTimeout("99999999H"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "S", "5", "5s", "5x", "-5S", "+5S", "123456789S", "5 S", " 5S", "5.0S", "٥S"})
  void parseTimeoutRejectsMalformed(String value) {
    assertThrows(IllegalArgumentException.class, () -> WireFormat.parseTimeout(value));
  }

  @Test
  void parseTimeoutRejectsNull() {
    assertThrows(IllegalArgumentException.class, () -> WireFormat.parseTimeout(null));
  }

  @Test
  void statusMessagePercentEncoding() {
    assertEquals("plain text ok", WireFormat.encodeStatusMessage("plain text ok"));
    assertEquals("100%25", WireFormat.encodeStatusMessage("100%"));
    assertEquals("%09%0Atab", WireFormat.encodeStatusMessage("\t\ntab"));
    assertEquals("%E2%98%BA", WireFormat.encodeStatusMessage("\u263a"));
    assertEquals("%F0%9F%98%88", WireFormat.encodeStatusMessage("\ud83d\ude08"));
  }

  @Test
  void statusMessageRoundTripsUnicode() {
    String msg = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \ud83d\ude08\t\n";
    String wire = WireFormat.encodeStatusMessage(msg);
    for (char c : wire.toCharArray()) {
      if (c < 0x20 || c > 0x7e) {
        throw new AssertionError("not printable ASCII on the wire: " + wire);
      }
    }
    assertEquals(msg, WireFormat.decodeStatusMessage(wire));
  }

  @Test
  void statusMessageDecodingKeepsMalformedEscapes() {
    assertEquals("50%", WireFormat.decodeStatusMessage("50%"));
    assertEquals("%G1 x", WireFormat.decodeStatusMessage("%G1 x"));
    assertEquals("a%4", WireFormat.decodeStatusMessage("a%4"));
    assertEquals("\ufffd", WireFormat.decodeStatusMessage("%FF"));
  }

  @Test
  void binaryHeaderBase64() {
    byte[] value = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
    String wire = WireFormat.encodeBinaryHeader(value);
    assertEquals("AAEC//4", wire);
    assertArrayEquals(value, WireFormat.decodeBinaryHeader(wire));
    assertArrayEquals(value, WireFormat.decodeBinaryHeader("AAEC//4="));
    assertArrayEquals(
        "hi".getBytes(StandardCharsets.US_ASCII), WireFormat.decodeBinaryHeader("aGk"));
    assertThrows(IllegalArgumentException.class, () -> WireFormat.decodeBinaryHeader("!!!"));
  }
}
