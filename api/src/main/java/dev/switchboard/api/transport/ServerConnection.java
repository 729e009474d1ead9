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

  /**
   * {@return this connection as channelz sees it (counters, addresses, windows), or null when the
   * transport keeps no counters} The core registers it in the {@link
   * dev.switchboard.api.channelz.ChannelzRegistry} while the connection lives; called once, and the
   * same object is returned each time.
   *
   * @since 0.3
   */
  default dev.switchboard.api.channelz.ChannelzSocket channelzSocket() {
    return null;
  }
}
