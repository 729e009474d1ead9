package dev.switchboard.transport.netty;

import dev.switchboard.api.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Raw bytes as messages; optionally hides the size to exercise the unknown-size path. */
final class ByteArrayMarshaller implements Marshaller<byte[]> {
  static final ByteArrayMarshaller INSTANCE = new ByteArrayMarshaller(true);
  static final ByteArrayMarshaller UNSIZED = new ByteArrayMarshaller(false);

  private final boolean knowsSize;

  private ByteArrayMarshaller(boolean knowsSize) {
    this.knowsSize = knowsSize;
  }

  @Override
  public int sizeOf(byte[] message) {
    return knowsSize ? message.length : -1;
  }

  @Override
  public void encode(byte[] message, OutputStream out) throws IOException {
    out.write(message);
  }

  @Override
  public byte[] decode(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
