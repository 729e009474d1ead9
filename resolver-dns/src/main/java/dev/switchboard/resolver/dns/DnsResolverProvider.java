package dev.switchboard.resolver.dns;

import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.Target;
import java.util.Objects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Supplies resolvers for scheme {@code dns} (grpc-go {@code internal/resolver/dns}): {@code
 * dns:///host[:port]} looks the host up with the system's name servers, {@code
 * dns://nameserver[:port]/host[:port]} asks that name server (an IP address, port 53 by default).
 * The port paired with the answers defaults to 443; an IP-literal host is reported without a
 * lookup. Both A and AAAA records are used, IPv4 first.
 *
 * <p>Found through {@code META-INF/services} on the class path, {@code provides} on the module path
 * and as a Declarative Services component (property {@code resolver.scheme=dns}) inside OSGi.
 *
 * <p>Threading and lifecycle: the provider is stateless and thread-safe. Its resolvers do their
 * lookups asynchronously on one event loop thread (a daemon) shared by all of them, started when
 * the first resolver needs it and stopped when the last one is closed: whoever creates a resolver
 * must close it. Inside OSGi the component's deactivation (its bundle stopping) waits, at most 3 s,
 * for the last stopped loop to terminate, so that no DNS thread runs this bundle's code once the
 * bundle may be refreshed. Resolvers report errors, such as an unparseable target or a failed
 * lookup, as {@code UNAVAILABLE} through {@link ResolverConn#reportError}; they never throw for
 * them.
 *
 * @since 0.1
 */
@Component(
    service = ResolverProvider.class,
    property = ResolverProvider.SCHEME_PROPERTY + "=" + DnsResolverProvider.SCHEME)
public final class DnsResolverProvider implements ResolverProvider {
  static final String SCHEME = "dns";

  private final SharedEventLoop loops;

  /**
   * Public no-arg constructor for ServiceLoader and DS; does nothing (no thread is started).
   *
   * @since 0.1
   */
  public DnsResolverProvider() {
    this(SharedEventLoop.DEFAULT);
  }

  DnsResolverProvider(SharedEventLoop loops) {
    this.loops = Objects.requireNonNull(loops, "loops");
  }

  /**
   * Declarative Services: the bundle is stopping. Waits, bounded, for the shared loop stopped by
   * the last resolver's close (channels close theirs before their leases let the service go).
   */
  @Deactivate
  void deactivate() {
    loops.awaitTermination(3, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver newResolver(Target target, ResolverConn conn) {
    return new DnsResolver(target, conn, loops, DnsResolver.Options.defaults());
  }

  /** The endpoint's {@code host[:port]} as written in the target. */
  @Override
  public String defaultAuthority(Target target) {
    return target.endpoint();
  }

  @Override
  public String toString() {
    return "DnsResolverProvider";
  }
}
