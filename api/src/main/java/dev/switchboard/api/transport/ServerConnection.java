package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One accepted connection. Thread-safe.
 *
 * @since 0.1
 */
@ConsumerType
public interface ServerConnection {
  /**
   * Graceful close: GOAWAY (first with the max stream id, then, after a ping round trip, with the
   * last accepted id), let open streams finish, then close.
   */
  void shutdown();

  /**
   * Closes now: open streams are cancelled with {@code reason}.
   *
   * @param reason the status the open streams' listeners are closed with
   */
  void shutdownNow(Status reason);

  /** {@return connection attributes: see {@link TransportAttributes}} */
  Attributes attributes();
}
