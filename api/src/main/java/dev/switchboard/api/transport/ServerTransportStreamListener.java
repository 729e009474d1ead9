package dev.switchboard.api.transport;

import dev.switchboard.api.Status;
import java.io.InputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives a server stream's events, on a transport thread (must not block). Implemented by the
 * core. {@code closed} comes exactly once, last.
 *
 * @since 0.1
 */
@ProviderType
public interface ServerTransportStreamListener {
  /**
   * One whole, decompressed request message; ownership passes to the listener, which must close it.
   * {@code compressed} tells whether it arrived with the compressed flag set.
   *
   * @param message the message's bytes; {@code available()} is the exact number left
   * @param compressed whether the message's gRPC header had the compressed flag
   */
  void messageRead(InputStream message, boolean compressed);

  /** The client half-closed (END_STREAM). */
  void halfClosed();

  /**
   * The stream ended: {@link Status#OK} when the response was fully sent, otherwise why it did not
   * (client RST_STREAM → CANCELLED, connection loss → UNAVAILABLE, inbound message too large →
   * RESOURCE_EXHAUSTED, which the transport has already sent to the client).
   *
   * @param status the outcome
   */
  void closed(Status status);

  /** {@link ServerTransportStream#isReady()} turned true. */
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
   * A response message was framed for sending (for telemetry); called on the thread that wrote it,
   * before the write returns.
   *
   * @param wireSize its size on the wire: after compression, without the 5-byte message prefix
   * @param uncompressedSize its size before compression, or -1 when not known
   * @since 0.3
   */
  default void outboundMessageSize(long wireSize, long uncompressedSize) {}
}
