package dev.switchboard.api.transport;

import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives a {@link ClientTransport}'s lifecycle events, from a transport thread; must not block.
 * Implemented by the core.
 *
 * @since 0.1
 */
@ProviderType
public interface ClientTransportListener {
  /** The connection can carry streams. At most once, before {@link #transportShutdown}. */
  void transportReady();

  /**
   * No new streams from now on. Exactly once.
   *
   * @param status why; UNAVAILABLE for connect failures and GOAWAY
   */
  void transportShutdown(Status status);

  /** Everything is closed. Exactly once, last. */
  void transportTerminated();

  /**
   * Whether the transport has streams open, for idleness tracking. Default: ignored.
   *
   * @param inUse true when the first stream opened, false when the last one closed
   */
  default void transportInUse(boolean inUse) {}
}
