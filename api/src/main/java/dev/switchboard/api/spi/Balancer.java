package dev.switchboard.api.spi;

import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A load-balancing policy instance for one channel (grpc-go's {@code balancer.Balancer}). It
 * receives resolved addresses, creates {@link SubConn}s through its {@link BalancerConn}, and
 * publishes {@link Picker}s that choose a SubConn per call.
 *
 * <p>Threading: every method is called in the channel's {@link
 * dev.switchboard.api.SynchronizationContext}, never concurrently; implementations need no locks. A
 * balancer must never block. Exceptions thrown are caught by the channel, which isolates the
 * instance: it falls back to the next policy listed in {@code loadBalancingConfig} that is deployed
 * (not using this provider again until it is registered anew), else goes TRANSIENT_FAILURE naming
 * the policy and rebuilds it after a backoff.
 *
 * <p>Lifecycle: created by {@link BalancerProvider#newBalancer}, closed by {@link #close()}, after
 * which no method is called; on close it shuts down its SubConns (the channel shuts down any it
 * left). When the channel switches to another policy, or another provider of this one, it does so
 * gracefully: this balancer's picker keeps serving until the new balancer is READY (or this one
 * leaves READY), and only then is this one closed. The exception is a provider that leaves the
 * registry (in OSGi: its bundle stops, and may be refreshed right after): its balancers are closed
 * at once, the new balancer's picker taking over (calls wait for it rather than fail), so that none
 * of this provider's code runs once its service is gone.
 *
 * @since 0.1
 */
@ConsumerType
public interface Balancer {
  /**
   * New addresses (and config) from the resolver. Returns {@link Status#OK} when accepted, or an
   * error (for example UNAVAILABLE for an empty list) which makes the channel ask the resolver to
   * resolve again.
   *
   * @param state the addresses, resolver attributes and this policy's parsed config
   * @return OK when accepted, else why not
   */
  Status updateClientConnState(ClientConnState state);

  /**
   * The resolver failed; keep using earlier addresses if any, else fail picks with it.
   *
   * @param error the resolver's error, not OK
   */
  void resolverError(Status error);

  /** The channel left IDLE; reconnect if idle. Default: nothing. */
  default void exitIdle() {}

  /** Releases everything; shuts down SubConns. */
  void close();
}
