package dev.switchboard.testing;

import dev.switchboard.api.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 strings for tests, optionally marked with a prefix so a test sees which marshaller (or
 * codec) handled a message: encoding {@code "y"} writes {@code prefix + "y"}, decoding {@code "x"}
 * yields {@code prefix + "x"}. Decoding the text {@value #POISON} fails with an {@link
 * IOException}, to test decode errors. Thread-safe.
 */
public final class StringMarshaller implements Marshaller<String> {
  /** The text whose decoding fails. */
  public static final String POISON = "poison";

  /** Plain UTF-8, no prefix. */
  public static final StringMarshaller INSTANCE = new StringMarshaller("");

  private final String prefix;

  /**
   * A marshaller adding {@code prefix} both ways.
   *
   * @param prefix the mark, such as a codec's name and a colon; empty for plain UTF-8
   */
  public StringMarshaller(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public int sizeOf(String message) {
    return prefix.isEmpty() ? message.getBytes(StandardCharsets.UTF_8).length : -1;
  }

  @Override
  public void encode(String message, OutputStream out) throws IOException {
    out.write((prefix + message).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String decode(InputStream in) throws IOException {
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    if (text.equals(POISON)) {
      throw new IOException("not a valid message");
    }
    return prefix + text;
  }
}
