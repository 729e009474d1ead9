package dev.switchboard.api.spi;

import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The channel as a {@link Resolver} sees it (grpc-go's {@code resolver.ClientConn}). Implemented by
 * the core only. {@link #updateState} and {@link #reportError} may be called from any thread; the
 * channel serializes them.
 *
 * @since 0.1
 */
@ProviderType
public interface ResolverConn {
  /**
   * New resolution result: replaces the addresses the balancer has.
   *
   * @param state the addresses and attributes, not null
   */
  void updateState(ResolverState state);

  /**
   * Resolution failed. The channel keeps earlier addresses (its balancer is told) and does not
   * retry on its own: a resolver that can recover retries itself, with backoff, as grpc-go's do.
   *
   * @param error why, not OK; usually UNAVAILABLE
   */
  void reportError(Status error);

  /**
   * {@return whether the channel ignores service configs from resolvers} A resolver then need not
   * look one up (the {@code dns} resolver skips its TXT query); one it delivers anyway is ignored.
   *
   * @since 0.3
   */
  boolean serviceConfigLookupDisabled();

  /** {@return the channel's serializer, where the resolver's methods are called} */
  SynchronizationContext synchronizationContext();

  /**
   * {@return a timer for delayed work such as retries; run the work itself through the
   * synchronization context} Shared: do not shut it down.
   */
  ScheduledExecutorService scheduledExecutor();
}
