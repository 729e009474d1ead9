package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.Target;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The built-in {@value #SCHEME} resolver: the endpoint is one {@code host:port} (port 443 when
 * omitted) reported as the single address. It is a {@link StaticResolver} over that one address,
 * so a host name is looked up on the blocking executor, never in the serializer. This is the
 * {@linkplain TargetParser#DEFAULT_SCHEME default scheme}.
 */
final class PassthroughResolver {
  static final String SCHEME = "passthrough";

  private PassthroughResolver() {}

  static Resolver create(Target target, ResolverConn conn, Executor blockingExecutor) {
    String endpoint = target.endpoint();
    try {
      HostPort hostPort = HostPort.parse(endpoint);
      return new StaticResolver(List.of(hostPort.toUnresolved()), null, conn, blockingExecutor);
    } catch (IllegalArgumentException e) {
      Status error = Status.UNAVAILABLE.withDescription(
          "invalid passthrough target '" + endpoint + "': " + e.getMessage());
      return new StaticResolver(List.of(), error, conn, blockingExecutor);
    }
  }

  /** Built-in provider for scheme {@value #SCHEME}; not registered in any registry. */
  static final class Provider implements ResolverProvider {
    private final Executor blockingExecutor;

    Provider(Executor blockingExecutor) {
      this.blockingExecutor = blockingExecutor;
    }

    @Override
    public String scheme() {
      return SCHEME;
    }

    @Override
    public Resolver newResolver(Target target, ResolverConn conn) {
      return create(target, conn, blockingExecutor);
    }
  }
}
