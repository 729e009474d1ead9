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
}
