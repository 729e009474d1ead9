package dev.switchboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns messages of one type into bytes and back. Obtained from a {@link
 * dev.switchboard.api.spi.Codec} for a message class, or supplied directly on a {@link
 * MethodDescriptor}. Implementations are stateless and thread-safe.
 *
 * <p>Transports call {@link #encode} on the sending thread, straight into their own buffers, so a
 * known {@link #sizeOf size} lets them allocate exactly once. {@link #decode} reads from a stream
 * over the transport's buffers whose {@link InputStream#available()} is the exact number of bytes
 * left in the message.
 *
 * @param <T> the message type
 * @since 0.1
 */
@ConsumerType
public interface Marshaller<T> {
  /**
   * {@return the exact number of bytes {@link #encode} will write, or {@code -1} when not known
   * cheaply}
   *
   * @param message the message to be encoded
   */
  int sizeOf(T message);

  /**
   * Writes {@code message} to {@code out}. Does not close {@code out}.
   *
   * @param message the message, not null
   * @param out where to write; a transport buffer
   * @throws IOException when writing fails; the call then fails with INTERNAL
   */
  void encode(T message, OutputStream out) throws IOException;

  /**
   * Writes {@code message} straight into {@code target}, when this marshaller can: transports call
   * it, when the message's {@link #sizeOf size} is known and it is sent uncompressed, with a buffer
   * (often a direct one, over pooled memory) that has exactly that many bytes {@linkplain
   * ByteBuffer#remaining() remaining}, to save the copy through an {@link OutputStream}. On return
   * {@code true}, the marshaller has filled it; on {@code false} it has written nothing and the
   * transport calls {@link #encode} instead. The default returns {@code false}.
   *
   * @param message the message, not null
   * @param target where to write; exactly {@code sizeOf(message)} bytes remain
   * @return whether the message was written
   * @throws IOException when writing fails (or the size was wrong); the call then fails with
   *     INTERNAL
   * @since 0.3
   */
  default boolean encodeTo(T message, ByteBuffer target) throws IOException {
    return false;
  }

  /**
   * Reads one whole message from {@code in}, which ends at the end of the message. Does not close
   * {@code in}.
   *
   * @param in the message's bytes, already decompressed
   * @return the message, not null
   * @throws IOException when the bytes are not a valid message
   */
  T decode(InputStream in) throws IOException;
}
