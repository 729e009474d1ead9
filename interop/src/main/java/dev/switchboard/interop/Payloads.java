package dev.switchboard.interop;

import com.google.protobuf.ByteString;
import dev.switchboard.interop.proto.Messages.Payload;
import dev.switchboard.interop.proto.Messages.PayloadType;

/** Payloads of zero bytes, the body every interop message carries. */
final class Payloads {
  private Payloads() {}

  /** A COMPRESSABLE payload of {@code size} zero bytes. */
  static Payload zeros(int size) {
    return Payload.newBuilder()
        .setType(PayloadType.COMPRESSABLE)
        .setBody(size == 0 ? ByteString.EMPTY : ByteString.copyFrom(new byte[size]))
        .build();
  }

  /** True when {@code body} is exactly {@code size} bytes, all zero. */
  static boolean isZeros(ByteString body, int size) {
    if (body.size() != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (body.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
