package dev.switchboard.api.spi;

import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A load-balancing policy instance for one channel (grpc-go's {@code balancer.Balancer}). It
 * receives resolved addresses, creates {@link SubConn}s through its {@link BalancerConn}, and
 * publishes {@link Picker}s that choose a SubConn per call.
 *
 * <p>Threading: every method is called in the channel's {@link
 * dev.switchboard.api.SynchronizationContext}, never concurrently; implementations need no locks.
 * A balancer must never block. Exceptions thrown are caught by the channel, which puts the channel
 * in TRANSIENT_FAILURE naming the policy.
 *
 * <p>Lifecycle: created by {@link BalancerProvider#newBalancer}, closed by {@link #close()}, after
 * which no method is called; on close it shuts down its SubConns.
 *
 * @since 0.1
 */
@ConsumerType
public interface Balancer {
  /**
   * New addresses (and config) from the resolver. Returns {@link Status#OK} when accepted, or an
   * error (for example UNAVAILABLE for an empty list) which makes the channel ask the resolver to
   * resolve again.
   */
  Status updateClientConnState(ClientConnState state);

  /** The resolver failed; keep using earlier addresses if any, else fail picks with it. */
  void resolverError(Status error);

  /** The channel left IDLE; reconnect if idle. Default: nothing. */
  default void exitIdle() {}

  /** Releases everything; shuts down SubConns. */
  void close();
}
