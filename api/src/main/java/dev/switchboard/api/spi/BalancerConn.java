package dev.switchboard.api.spi;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.SynchronizationContext;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The channel as a {@link Balancer} sees it (grpc-go's {@code balancer.ClientConn}). Implemented
 * by the core only. All methods must be called in the channel's {@link #synchronizationContext()}.
 *
 * @since 0.1
 */
@ProviderType
public interface BalancerConn {
  /**
   * Creates a SubConn over {@code addresses} (tried in order); it starts IDLE and connects on
   * {@link SubConn#connect()}. State changes are reported to {@code listener} in the context.
   */
  SubConn newSubConn(List<Address> addresses, SubConnStateListener listener);

  /** Publishes the balancer's aggregate state and a new picker. */
  void updateState(ConnectivityState state, Picker picker);

  /** Asks the resolver to resolve again (after a connection failure). */
  void resolveNow();

  /** The channel's target string. */
  String target();

  /** The channel's serializer. */
  SynchronizationContext synchronizationContext();

  /** A timer for delayed work; run the work itself through the synchronization context. */
  ScheduledExecutorService scheduledExecutor();

  /** The balancer registry the channel uses, for policies that delegate to children. */
  BalancerRegistry balancerRegistry();

  /**
   * The provider of child policy {@code name} for a policy that delegates (the way round_robin
   * could use pick_first), or {@code null} when none is deployed. Like {@code
   * balancerRegistry().lookup(name)}, but the channel also lists the child under this balancer in
   * {@link dev.switchboard.api.ClientConn#describeWiring()} and keeps the provider leased (see
   * {@link ProviderRegistry}) until this balancer is closed, so an OSGi bundle supplying it is
   * not released while in use.
   *
   * @since 0.2
   */
  default BalancerProvider childPolicy(String name) {
    return balancerRegistry().lookup(name);
  }
}
