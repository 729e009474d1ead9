package dev.switchboard.api.transport;

import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport side of one client call. Methods other than {@link #cancel} are called by one
 * thread at a time (the call's); {@link #cancel} may come from any thread.
 *
 * <p>Outbound messages are encoded with the stream's marshaller on the calling thread, straight
 * into transport buffers, compressed when a compressor was chosen, and written in order. Inbound
 * messages are delivered only as {@link #request requested}; HTTP/2 flow-control window is returned
 * as they are delivered, so nothing buffers without bound.
 *
 * @param <ReqT> request type
 * @since 0.1
 */
@ConsumerType
public interface ClientTransportStream<ReqT> {
  /**
   * Sends the headers. Called once, first.
   *
   * @param listener receives the stream's events, not null
   */
  void start(ClientTransportStreamListener listener);

  /**
   * Allows {@code numMessages} more messages to be delivered. Requests add up.
   *
   * @param numMessages how many more, at least 0
   */
  void request(int numMessages);

  /**
   * Encodes and sends {@code message}. A message larger than the call's max outbound size cancels
   * the stream with RESOURCE_EXHAUSTED; an encoding failure cancels it with INTERNAL.
   *
   * @param message the message
   */
  void writeMessage(ReqT message);

  /** Flushes buffered writes. */
  void flush();

  /** Ends the request side (END_STREAM). */
  void halfClose();

  /**
   * Cancels the stream (RST_STREAM CANCEL); the listener is closed with {@code reason} unless it
   * already closed. Idempotent.
   *
   * @param reason the status the listener is closed with
   */
  void cancel(Status reason);

  /** {@return whether buffered outbound bytes are under the transport's threshold} Thread-safe. */
  boolean isReady();

  /**
   * Turns per-message compression on or off (when a compressor was chosen).
   *
   * @param enabled true to compress (the default)
   */
  void setMessageCompression(boolean enabled);
}
