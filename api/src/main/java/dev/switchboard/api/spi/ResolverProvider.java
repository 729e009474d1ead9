package dev.switchboard.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies resolvers for one target scheme. Registered in the {@link ResolverRegistry}: by {@code
 * META-INF/services} and {@code provides} outside OSGi, as a Declarative Services component with
 * property {@value #SCHEME_PROPERTY} inside. Public no-arg constructor; cheap, stateless,
 * thread-safe; never throws from {@link #scheme()}, {@link #priority()} or {@link #isAvailable()}.
 *
 * @since 0.1
 */
@ConsumerType
public interface ResolverProvider {
  /** Service property carrying the scheme in OSGi. */
  String SCHEME_PROPERTY = "resolver.scheme";

  /** {@return the scheme served, lower case, such as {@code dns}} */
  String scheme();

  /** {@return the priority among providers of the same scheme, higher wins; 5 by default} */
  default int priority() {
    return 5;
  }

  /**
   * {@return false when the provider cannot work here (missing dependency, platform); true by
   * default}
   */
  default boolean isAvailable() {
    return true;
  }

  /**
   * Creates a resolver for one channel; it does nothing until {@link Resolver#start()}. Called in
   * that channel's synchronization context.
   *
   * @param target the parsed target, whose scheme is this provider's
   * @param conn the channel, to report addresses and errors to
   * @return a new resolver, not null
   */
  Resolver newResolver(Target target, ResolverConn conn);

  /**
   * {@return the default {@code :authority} for a target; by default its endpoint} Used when the
   * dial options set none.
   *
   * @param target the parsed target
   */
  default String defaultAuthority(Target target) {
    return target.endpoint();
  }
}
