package dev.switchboard.api.spi;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.SynchronizationContext;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The channel as a {@link Balancer} sees it (grpc-go's {@code balancer.ClientConn}). Implemented by
 * the core only. All methods must be called in the channel's {@link #synchronizationContext()}.
 *
 * @since 0.1
 */
@ProviderType
public interface BalancerConn {
  /**
   * Creates a SubConn over {@code addresses} (tried in order); it starts IDLE and connects on
   * {@link SubConn#connect()}. State changes are reported to {@code listener} in the context.
   *
   * @param addresses the addresses, not empty
   * @param listener told of the SubConn's state changes until it is shut down
   * @return the new SubConn; the balancer shuts it down when it no longer needs it
   */
  SubConn newSubConn(List<Address> addresses, SubConnStateListener listener);

  /**
   * Publishes the balancer's aggregate state and a new picker: queued calls are picked again with
   * it, and new calls use it until the next update.
   *
   * @param state the balancer's aggregate state, which becomes the channel's
   * @param picker the picker for calls from now on, not null
   */
  void updateState(ConnectivityState state, Picker picker);

  /** Asks the resolver to resolve again (after a connection failure). */
  void resolveNow();

  /** {@return the channel's target string} */
  String target();

  /** {@return the channel's serializer, where every balancer callback runs} */
  SynchronizationContext synchronizationContext();

  /**
   * {@return a timer for delayed work; run the work itself through the synchronization context, for
   * instance with {@link SynchronizationContext#schedule}} Shared: do not shut it down.
   */
  ScheduledExecutorService scheduledExecutor();

  /**
   * {@return the balancer registry the channel uses, for policies that delegate to children} Prefer
   * {@link #childPolicy(String)}, which also leases the child's provider.
   */
  BalancerRegistry balancerRegistry();

  /**
   * The provider of child policy {@code name} for a policy that delegates (the way round_robin
   * could use pick_first), or {@code null} when none is deployed. Like {@code
   * balancerRegistry().lookup(name)}, but the channel also lists the child under this balancer in
   * {@link dev.switchboard.api.ClientConn#describeWiring()} and keeps the provider leased (see
   * {@link ProviderRegistry}) until this balancer is closed, so an OSGi bundle supplying it is not
   * released while in use.
   *
   * @param name the child policy's name, such as {@code pick_first}
   * @return its provider, or {@code null}
   * @since 0.2
   */
  default BalancerProvider childPolicy(String name) {
    return balancerRegistry().lookup(name);
  }
}
