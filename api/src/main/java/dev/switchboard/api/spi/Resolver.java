package dev.switchboard.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Watches a target and reports its addresses through a {@link ResolverConn} (grpc-go's {@code
 * resolver.Resolver}). Methods are called in the channel's synchronization context and must not
 * block; lookups run asynchronously and report back with {@link ResolverConn#updateState} or {@link
 * ResolverConn#reportError} from any thread.
 *
 * @since 0.1
 */
@ConsumerType
public interface Resolver {
  /** Starts resolving; the first result is reported asynchronously. */
  void start();

  /** A hint to resolve again soon (rate limiting is the resolver's business). */
  void resolveNow();

  /** Stops; no reports after it returns are used. */
  void close();
}
