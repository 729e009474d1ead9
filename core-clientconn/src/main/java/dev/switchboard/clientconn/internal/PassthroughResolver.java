package dev.switchboard.clientconn.internal;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.HostPort;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.Target;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The built-in {@value #SCHEME} resolver: the endpoint is one {@code host:port} (port 443 when
 * omitted) reported as the single address. It is a {@link StaticResolver} over that one address, so
 * a host name is looked up on the blocking executor, never in the serializer, and a failed lookup
 * is retried with backoff by the resolver itself. This is the default scheme when no {@code dns}
 * resolver is deployed ({@link TargetParser#FALLBACK_SCHEME}).
 */
final class PassthroughResolver {
  static final String SCHEME = "passthrough";

  private PassthroughResolver() {}

  static Resolver create(
      Target target, ResolverConn conn, Executor blockingExecutor, Backoff backoff) {
    String endpoint = target.endpoint();
    try {
      HostPort hostPort = HostPort.parse(endpoint);
      return new StaticResolver(
          List.of(hostPort.toUnresolved()), null, conn, blockingExecutor, backoff);
    } catch (IllegalArgumentException e) {
      Status error =
          Status.UNAVAILABLE.withDescription(
              "invalid passthrough target '" + endpoint + "': " + e.getMessage());
      return new StaticResolver(List.of(), error, conn, blockingExecutor, backoff);
    }
  }

  /** Built-in provider for scheme {@value #SCHEME}; not registered in any registry. */
  static final class Provider implements ResolverProvider {
    private final ChannelEnvironment env;
    private final BackoffConfig backoff;

    Provider(ChannelEnvironment env, BackoffConfig backoff) {
      this.env = env;
      this.backoff = backoff;
    }

    @Override
    public String scheme() {
      return SCHEME;
    }

    @Override
    public Resolver newResolver(Target target, ResolverConn conn) {
      return create(target, conn, env.blockingExecutor(), new Backoff(backoff, env.random()));
    }
  }
}
