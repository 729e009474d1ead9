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
  void onSubConnState(SubConn subConn, SubConnState state);
}
