package dev.switchboard.api.transport;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.io.InputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives a client stream's events, on a transport thread (must not block). Order: {@code
 * headersRead} at most once, {@code messageRead} as requested, {@code closed} exactly once, last.
 * Implemented by the core.
 *
 * @since 0.1
 */
@ProviderType
public interface ClientTransportStreamListener {
  /**
   * Response headers arrived (not for a trailers-only response). At most once.
   *
   * @param headers the application's headers, protocol headers removed; the listener owns them
   */
  void headersRead(Metadata headers);

  /**
   * One whole, decompressed message. Ownership passes to the listener, which must {@link
   * InputStream#close() close} it (releasing transport buffers) even when it is not read. Its
   * {@code available()} is the exact number of unread bytes.
   *
   * @param message the message's bytes
   */
  void messageRead(InputStream message);

  /**
   * The stream ended. {@code status} comes from the trailers, or describes the failure (RST_STREAM,
   * connection loss, protocol error, size limit).
   *
   * @param status the outcome
   * @param trailers the trailers received, else empty; the listener owns them
   */
  void closed(Status status, Metadata trailers);

  /**
   * The stream ended, with how far it got. A transport that knows the server cannot have processed
   * the stream (never written; refused by RST_STREAM REFUSED_STREAM or by a GOAWAY's last stream
   * id) calls this with {@link StreamProgress#REFUSED}, letting the channel retry the call
   * transparently; {@code closed(status, PROCESSED, trailers)} is the same as {@link
   * #closed(Status, Metadata)}. Exactly one of the two is called, once, last.
   *
   * @param status the outcome
   * @param progress how far the stream got
   * @param trailers the trailers received, else empty; the listener owns them
   * @since 0.2
   */
  default void closed(Status status, StreamProgress progress, Metadata trailers) {
    closed(status, trailers);
  }

  /** {@link ClientTransportStream#isReady()} turned true. */
  void onReady();

  /**
   * The sizes of the message about to be delivered by the next {@code messageRead}, on the same
   * thread, just before it (for telemetry). A transport that does not know them does not call this.
   *
   * @param wireSize its size on the wire: as received (compressed when it was), without the 5-byte
   *     message prefix
   * @param uncompressedSize its size after decompression
   * @since 0.3
   */
  default void inboundMessageSize(long wireSize, long uncompressedSize) {}

  /**
   * The server's trailers arrived (for telemetry), on the transport's thread, just before {@code
   * closed} reports the status they carry; not called when the stream ends without them (a reset, a
   * cancellation, a connection failure). A transport that does not tell does not call this.
   *
   * @param trailers the trailers, the same the following {@code closed} passes on
   * @since 0.3
   */
  default void trailersRead(Metadata trailers) {}

  /**
   * A request message was framed for sending (for telemetry); called on the thread that wrote it,
   * before the write returns.
   *
   * @param wireSize its size on the wire: after compression, without the 5-byte message prefix
   * @param uncompressedSize its size before compression, or -1 when not known
   * @since 0.3
   */
  default void outboundMessageSize(long wireSize, long uncompressedSize) {}
}
