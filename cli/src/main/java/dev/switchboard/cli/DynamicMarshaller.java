package dev.switchboard.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import dev.switchboard.api.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Messages of a type known only by its descriptor, as protobuf's {@link DynamicMessage}. */
final class DynamicMarshaller implements Marshaller<DynamicMessage> {
  private final Descriptor type;

  DynamicMarshaller(Descriptor type) {
    this.type = type;
  }

  @Override
  public int sizeOf(DynamicMessage message) {
    return message.getSerializedSize();
  }

  @Override
  public void encode(DynamicMessage message, OutputStream out) throws IOException {
    message.writeTo(out);
  }

  @Override
  public DynamicMessage decode(InputStream in) throws IOException {
    return DynamicMessage.parseFrom(type, in);
  }
}
