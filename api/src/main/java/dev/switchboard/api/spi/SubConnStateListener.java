package dev.switchboard.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a SubConn's state changes, in the channel's synchronization context.
 *
 * @since 0.1
 */
@ConsumerType
@FunctionalInterface
public interface SubConnStateListener {
  /**
   * The SubConn changed state. The last call for a SubConn reports SHUTDOWN.
   *
   * @param subConn the SubConn that changed
   * @param state its new state, with the connection error in TRANSIENT_FAILURE
   */
  void onSubConnState(SubConn subConn, SubConnState state);
}
