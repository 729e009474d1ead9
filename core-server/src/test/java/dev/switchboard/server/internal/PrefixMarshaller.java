package dev.switchboard.server.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.switchboard.api.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * UTF-8 strings that carry the marshaller's name, so tests see which one was used: decoding
 * {@code "x"} yields {@code prefix + "x"}, encoding {@code "y"} writes {@code prefix + "y"}. A
 * request {@value #POISON} fails to decode.
 */
final class PrefixMarshaller implements Marshaller<String> {
  static final String POISON = "poison";

  private final String prefix;

  PrefixMarshaller(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public int sizeOf(String message) {
    return -1;
  }

  @Override
  public void encode(String message, OutputStream out) throws IOException {
    out.write((prefix + message).getBytes(UTF_8));
  }

  @Override
  public String decode(InputStream in) throws IOException {
    String text = new String(in.readAllBytes(), UTF_8);
    if (text.equals(POISON)) {
      throw new IOException("not a valid message");
    }
    return prefix + text;
  }
}
