package dev.switchboard.codec.proto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import dev.switchboard.api.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;

/**
 * Marshals one protobuf message class. Stateless and thread-safe.
 *
 * <p>Decoding relies on the {@link Marshaller} contract that {@link InputStream#available()} is the
 * exact number of bytes left in the message: messages up to {@value #ARRAY_DECODE_LIMIT} bytes are
 * read into one array and parsed from it (bytes fields share that array rather than copy it);
 * larger ones are parsed straight from the stream, so a big message is never held twice. A stream
 * that reports 0 but still has bytes, or more than it announced, is still parsed to its end. The
 * size limit is lifted (the transport already enforces the maximum message size); the recursion
 * limit is protobuf's default (100).
 *
 * @param <T> the message class
 */
final class ProtoMarshaller<T extends MessageLite> implements Marshaller<T> {
  /** Largest message decoded through a single array. */
  static final int ARRAY_DECODE_LIMIT = 4 * 1024 * 1024;

  /** Largest buffer used when encoding; smaller messages get a buffer of their own size. */
  static final int MAX_ENCODE_BUFFER = 32 * 1024;

  /** Read buffer for messages parsed from the stream. */
  private static final int STREAM_DECODE_BUFFER = 32 * 1024;

  private final Class<T> type;
  private final T defaultInstance;
  private final Parser<T> parser;

  @SuppressWarnings("unchecked")
  ProtoMarshaller(Class<T> type, T defaultInstance) {
    this.type = type;
    this.defaultInstance = defaultInstance;
    this.parser = (Parser<T>) defaultInstance.getParserForType();
  }

  @Override
  public int sizeOf(T message) {
    return message.getSerializedSize();
  }

  @Override
  public void encode(T message, OutputStream out) throws IOException {
    int size = message.getSerializedSize();
    if (size == 0) {
      return;
    }
    CodedOutputStream coded = CodedOutputStream.newInstance(out, Math.min(size, MAX_ENCODE_BUFFER));
    message.writeTo(coded);
    coded.flush();
  }

  @Override
  public boolean encodeTo(T message, ByteBuffer target) throws IOException {
    int size = target.remaining();
    if (size == 0) {
      return true;
    }
    // On a direct buffer protobuf writes through Unsafe, on a heap one into its array: no copy.
    CodedOutputStream coded = CodedOutputStream.newInstance(target);
    message.writeTo(coded);
    coded.flush();
    if (coded.spaceLeft() != 0) {
      throw new IOException(
          type.getName() + ": wrote " + (size - coded.spaceLeft()) + " of " + size + " bytes");
    }
    return true;
  }

  @Override
  public T decode(InputStream in) throws IOException {
    int length = in.available();
    if (length <= 0) {
      int first = in.read();
      if (first == -1) {
        return defaultInstance; // the empty message
      }
      // The stream did not know its length after all: parse whatever it holds.
      return parse(
          CodedInputStream.newInstance(
              new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) first}), in),
              STREAM_DECODE_BUFFER));
    }
    if (length > ARRAY_DECODE_LIMIT) {
      return parse(CodedInputStream.newInstance(in, STREAM_DECODE_BUFFER));
    }
    byte[] bytes = new byte[length];
    int read = in.readNBytes(bytes, 0, length); // straight into the array, no staging chunks
    if (read < length) {
      throw new InvalidProtocolBufferException(
          type.getName()
              + ": stream ended after "
              + read
              + " of the "
              + length
              + " bytes it announced");
    }
    if (in.available() > 0) {
      return parse(
          CodedInputStream.newInstance(
              new SequenceInputStream(new ByteArrayInputStream(bytes), in), STREAM_DECODE_BUFFER));
    }
    // The array is this message's alone and never written again: wrapped as immutable, bytes
    // fields may share it instead of copying their part of it.
    CodedInputStream coded = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
    coded.enableAliasing(true);
    return parse(coded);
  }

  private T parse(CodedInputStream coded) throws InvalidProtocolBufferException {
    coded.setSizeLimit(Integer.MAX_VALUE);
    T message = parser.parseFrom(coded, ExtensionRegistryLite.getEmptyRegistry());
    // parseFrom(CodedInputStream) stops at an end-group tag; a whole message must end at EOF.
    coded.checkLastTagWas(0);
    return message;
  }

  @Override
  public String toString() {
    return "ProtoMarshaller[" + type.getName() + "]";
  }
}
