package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport side of one server call. Methods other than {@link #cancel} are called by one
 * thread at a time; {@link #cancel} may come from any thread.
 *
 * @since 0.1
 */
@ConsumerType
public interface ServerTransportStream {
  /** Sets the listener; must be called from within {@code streamCreated}. */
  void setListener(ServerTransportStreamListener listener);

  /** Allows {@code numMessages} more request messages to be delivered. */
  void request(int numMessages);

  /** Sends response headers (the transport adds {@code :status}, content-type, grpc-encoding). */
  void writeHeaders(Metadata headers);

  /**
   * Encodes with {@code marshaller} on the calling thread and sends {@code message}; compressed
   * when a compressor was chosen and message compression is on.
   */
  <T> void writeMessage(T message, Marshaller<T> marshaller);

  void flush();

  /**
   * Sends trailers with {@code status} (as trailers-only when no headers or messages were sent)
   * and ends the stream; the listener then gets {@code closed(OK)} once the peer has it.
   */
  void close(Status status, Metadata trailers);

  /** Resets the stream (RST_STREAM); the listener gets {@code closed(reason)}. Idempotent. */
  void cancel(Status reason);

  boolean isReady();

  /**
   * Chooses the response compressor by name before headers are sent.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  void setCompression(String compressorName);

  void setMessageCompression(boolean enabled);

  /** The {@code :authority} (or Host), or {@code null}. */
  String authority();

  /** The deadline from {@code grpc-timeout}, or {@code null}. */
  Deadline deadline();

  /** The content-subtype ({@code proto} for {@code application/grpc+proto}), or "" if none. */
  String contentSubtype();

  /** The request's {@code grpc-encoding}, or {@code null} for identity. */
  String messageEncoding();

  /** Connection attributes: see {@link TransportAttributes}. */
  Attributes attributes();
}
