package dev.switchboard.api.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Encodings of the gRPC HTTP/2 wire protocol shared by transports: {@code grpc-timeout}, the
 * percent-encoded {@code grpc-message}, and base64 {@code -bin} header values. Stateless.
 *
 * @since 0.1
 */
public final class WireFormat {
  private static final int MAX_TIMEOUT_DIGITS = 8;
  private static final long MAX_TIMEOUT_VALUE = 99_999_999L;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private WireFormat() {}

  /**
   * Encodes a timeout for {@code grpc-timeout}: at most 8 digits and a unit (n, u, m, S, M, H),
   * choosing the finest unit that fits. Non-positive timeouts encode as {@code 1n} (already
   * expired, but the header must be positive).
   *
   * @param nanos the time left, in nanoseconds
   * @return the header value, rounded up to the unit chosen
   */
  public static String encodeTimeout(long nanos) {
    if (nanos <= 0) {
      return "1n";
    }
    if (nanos <= MAX_TIMEOUT_VALUE) {
      return nanos + "n";
    }
    long micros = ceilDiv(nanos, 1_000L);
    if (micros <= MAX_TIMEOUT_VALUE) {
      return micros + "u";
    }
    long millis = ceilDiv(nanos, 1_000_000L);
    if (millis <= MAX_TIMEOUT_VALUE) {
      return millis + "m";
    }
    long seconds = ceilDiv(nanos, 1_000_000_000L);
    if (seconds <= MAX_TIMEOUT_VALUE) {
      return seconds + "S";
    }
    long minutes = ceilDiv(seconds, 60);
    if (minutes <= MAX_TIMEOUT_VALUE) {
      return minutes + "M";
    }
    return Math.min(ceilDiv(minutes, 60), MAX_TIMEOUT_VALUE) + "H";
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /**
   * Parses a {@code grpc-timeout} value into nanoseconds (saturating at {@code Long.MAX_VALUE}).
   *
   * @param value the header value
   * @return the timeout in nanoseconds, at least 0
   * @throws IllegalArgumentException when the value is not 1-8 ASCII digits followed by one of
   *     {@code H M S m u n}
   */
  public static long parseTimeout(String value) {
    if (value == null || value.length() < 2 || value.length() > MAX_TIMEOUT_DIGITS + 1) {
      throw new IllegalArgumentException("invalid grpc-timeout: '" + value + "'");
    }
    long amount = 0;
    for (int i = 0; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("invalid grpc-timeout: '" + value + "'");
      }
      amount = amount * 10 + (c - '0');
    }
    TimeUnit unit =
        switch (value.charAt(value.length() - 1)) {
          case 'n' -> TimeUnit.NANOSECONDS;
          case 'u' -> TimeUnit.MICROSECONDS;
          case 'm' -> TimeUnit.MILLISECONDS;
          case 'S' -> TimeUnit.SECONDS;
          case 'M' -> TimeUnit.MINUTES;
          case 'H' -> TimeUnit.HOURS;
          default ->
              throw new IllegalArgumentException("invalid grpc-timeout unit in '" + value + "'");
        };
    return unit.toNanos(amount);
  }

  /**
   * Percent-encodes a status message for {@code grpc-message}: UTF-8 bytes outside printable ASCII,
   * and {@code '%'} itself, become {@code %XX}.
   *
   * @param message a status description, not null
   * @return the header value; {@code message} itself when nothing needs escaping
   */
  public static String encodeStatusMessage(String message) {
    int i = 0;
    while (i < message.length() && !needsEscape(message.charAt(i))) {
      i++;
    }
    if (i == message.length()) {
      return message;
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (needsEscape((char) c)) {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c > 0x7e || c == '%';
  }

  /**
   * Decodes a {@code grpc-message} value. Malformed escapes are kept literally, as the spec asks;
   * invalid UTF-8 becomes U+FFFD.
   *
   * @param value the header value, not null
   * @return the status description
   */
  public static String decodeStatusMessage(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      if (c < 0x80) {
        out.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Base64 for a {@code -bin} header value, unpadded as grpc does on send.
   *
   * @param value the bytes
   * @return the header value
   */
  public static String encodeBinaryHeader(byte[] value) {
    return Base64.getEncoder().withoutPadding().encodeToString(value);
  }

  /**
   * Decodes a {@code -bin} header value: padded or unpadded base64; a comma-separated list of
   * values is not split here.
   *
   * @param value the header value; surrounding whitespace is ignored
   * @return the bytes
   * @throws IllegalArgumentException for invalid base64
   */
  public static byte[] decodeBinaryHeader(String value) {
    return Base64.getDecoder().decode(value.trim());
  }
}
