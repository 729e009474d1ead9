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

  /** The scheme served, lower case. */
  String scheme();

  default int priority() {
    return 5;
  }

  default boolean isAvailable() {
    return true;
  }

  /** Creates a resolver; it does nothing until {@link Resolver#start()}. */
  Resolver newResolver(Target target, ResolverConn conn);

  /** The default {@code :authority} for a target: by default its endpoint. */
  default String defaultAuthority(Target target) {
    return target.endpoint();
  }
}
