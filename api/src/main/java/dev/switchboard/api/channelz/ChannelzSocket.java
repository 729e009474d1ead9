package dev.switchboard.api.channelz;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A transport connection as channelz sees it. Implemented by transports (see {@code
 * ClientTransport.channelzSocket()} and {@code ServerConnection.channelzSocket()}); the core
 * registers it in the {@link ChannelzRegistry} while the connection lives.
 *
 * @since 0.3
 */
@ConsumerType
public interface ChannelzSocket {
  /** {@return the connection's counters, to read (racily) from any thread} */
  SocketCounters counters();

  /**
   * {@return the connection's addresses, counts and flow-control windows now} Any thread; may wait
   * briefly for the connection's own thread, to read the windows there.
   */
  SocketStats stats();
}
