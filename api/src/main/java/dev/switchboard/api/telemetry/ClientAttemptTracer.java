package dev.switchboard.api.telemetry;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Follows one attempt of a client call: one stream on one connection. Every method has an empty
 * default.
 *
 * <p>Threads: outbound events come from the thread that sends (the application's), inbound events
 * from the transport's; an outbound and an inbound event may run at the same time, so a tracer
 * keeps thread-safe state. {@link #attemptEnded} comes last, once.
 *
 * @since 0.3
 */
@ConsumerType
public interface ClientAttemptTracer {
  /**
   * The request headers are about to be sent; the tracer may add entries to them (trace context
   * propagation, such as W3C {@code traceparent}).
   *
   * @param headers the headers, writable until this returns
   */
  default void outboundHeaders(Metadata headers) {}

  /**
   * The response headers arrived.
   *
   * @param headers the headers received (read only)
   */
  default void inboundHeaders(Metadata headers) {}

  /**
   * A request message was framed for sending.
   *
   * @param seqNo the message's number in the attempt, from 0
   * @param wireSize its size on the wire: after compression, without the 5-byte message prefix
   * @param uncompressedSize its size before compression, or -1 when not known
   */
  default void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {}

  /**
   * A response message arrived whole.
   *
   * @param seqNo the message's number in the attempt, from 0
   * @param wireSize its size on the wire: compressed when the server compressed it, without the
   *     5-byte message prefix
   * @param uncompressedSize its size after decompression, or -1 when not known
   */
  default void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {}

  /**
   * The trailers arrived (not called when the attempt ends without them: a reset, a cancellation).
   *
   * @param trailers the trailers received (read only)
   */
  default void inboundTrailers(Metadata trailers) {}

  /**
   * The attempt is over with {@code status}: the server's, or the client's reason (cancelled,
   * deadline exceeded, the connection failed). Called once, last.
   *
   * @param status how the attempt ended
   */
  default void attemptEnded(Status status) {}
}
