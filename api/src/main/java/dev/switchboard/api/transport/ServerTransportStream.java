package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport side of one server call. Methods other than {@link #cancel} are called by one
 * thread at a time; {@link #cancel} may come from any thread.
 *
 * @since 0.1
 */
@ConsumerType
public interface ServerTransportStream {
  /**
   * Sets the listener; must be called from within {@code streamCreated}.
   *
   * @param listener receives the stream's events, not null
   */
  void setListener(ServerTransportStreamListener listener);

  /**
   * Allows {@code numMessages} more request messages to be delivered. Requests add up.
   *
   * @param numMessages how many more, at least 0
   */
  void request(int numMessages);

  /**
   * Sends response headers (the transport adds {@code :status}, content-type, grpc-encoding).
   *
   * @param headers the application's headers; handed over to the transport
   */
  void writeHeaders(Metadata headers);

  /**
   * Encodes with {@code marshaller} on the calling thread and sends {@code message}; compressed
   * when a compressor was chosen and message compression is on.
   *
   * @param message the message
   * @param marshaller encodes it straight into the transport's buffer
   * @param <T> the message type
   */
  <T> void writeMessage(T message, Marshaller<T> marshaller);

  /** Flushes what was written to the connection. */
  void flush();

  /**
   * Sends trailers with {@code status} (as trailers-only when no headers or messages were sent) and
   * ends the stream; the listener then gets {@code closed(OK)} once the peer has it.
   *
   * @param status the call's outcome; its description goes out percent-encoded in {@code
   *     grpc-message}, its cause stays local
   * @param trailers the application's trailers; handed over to the transport
   */
  void close(Status status, Metadata trailers);

  /**
   * Resets the stream (RST_STREAM); the listener gets {@code closed(reason)}. Idempotent.
   *
   * @param reason why, reported locally only
   */
  void cancel(Status reason);

  /** {@return whether a message can be written now without piling up in buffers} Thread-safe. */
  boolean isReady();

  /**
   * Chooses the response compressor by name before headers are sent.
   *
   * @param compressorName a name in the transport's compressor registry
   * @throws IllegalArgumentException for an unknown name
   */
  void setCompression(String compressorName);

  /**
   * Turns compression of the following messages on or off, when a compressor was chosen.
   *
   * @param enabled true to compress (the default)
   */
  void setMessageCompression(boolean enabled);

  /** {@return the {@code :authority} (or Host), or {@code null}} */
  String authority();

  /** {@return the deadline from {@code grpc-timeout}, or {@code null}} */
  Deadline deadline();

  /**
   * The scheduler for this stream's timers (its deadline), when the transport has one tied to the
   * thread that delivers the stream's events, such as a Netty event loop: the server schedules and
   * cancels the deadline from those events, so on such a scheduler it takes no lock shared with
   * other connections. {@code null} (the default) makes the server use its shared timer.
   *
   * @return the scheduler, or {@code null}
   * @since 0.3
   */
  default ScheduledExecutorService scheduler() {
    return null;
  }

  /**
   * {@return the content-subtype ({@code proto} for {@code application/grpc+proto}), or "" if none}
   */
  String contentSubtype();

  /** {@return the request's {@code grpc-encoding}, or {@code null} for identity} */
  String messageEncoding();

  /** {@return connection attributes: see {@link TransportAttributes}} */
  Attributes attributes();
}
