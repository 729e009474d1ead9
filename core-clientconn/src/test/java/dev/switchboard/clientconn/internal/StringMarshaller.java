package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** UTF-8 strings; decoding "corrupt" fails, to test decode errors. */
final class StringMarshaller implements Marshaller<String> {
  static final StringMarshaller INSTANCE = new StringMarshaller();

  @Override
  public int sizeOf(String message) {
    return message.getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public void encode(String message, OutputStream out) throws IOException {
    out.write(message.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String decode(InputStream in) throws IOException {
    String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    if (s.equals("corrupt")) {
      throw new IOException("corrupt message");
    }
    return s;
  }
}
