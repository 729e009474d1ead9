package dev.switchboard.clientconn.internal;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.Status;
import dev.switchboard.api.UnixAbstractAddress;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.Target;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.InvalidPathException;
import java.util.List;

/**
 * The built-in resolvers for Unix domain sockets, as gRPC naming defines them: scheme {@value
 * #SCHEME} ({@code unix:path}, relative or absolute, and {@code unix:///absolute/path}) reports one
 * {@link UnixDomainSocketAddress}; scheme {@value #ABSTRACT_SCHEME} ({@code unix-abstract:name})
 * one {@link UnixAbstractAddress}. The path or name is taken verbatim (no percent-decoding); in the
 * {@code //} form the authority must be empty and the path is everything from the third slash on,
 * so {@code unix-abstract:///name} names {@code /name}, as in grpc-go. The default authority is
 * {@code localhost}. A malformed target is reported as the resolver's error (UNAVAILABLE, saying
 * what is wrong), as for {@code passthrough}. Stateless.
 */
final class UnixResolver {
  static final String SCHEME = "unix";
  static final String ABSTRACT_SCHEME = "unix-abstract";

  /** The {@code :authority} of calls over a Unix socket, as in grpc-go and grpc-java. */
  static final String DEFAULT_AUTHORITY = "localhost";

  private UnixResolver() {}

  /**
   * {@return the address {@code target} names}
   *
   * @throws IllegalArgumentException when it names none, saying why
   */
  static SocketAddress address(Target target) {
    boolean isAbstract = target.scheme().equals(ABSTRACT_SCHEME);
    String original = target.original();
    // The scheme is ASCII and was only lower-cased, so its length in the original is the same.
    int afterColon = target.scheme().length() + 1;
    boolean slashes =
        original.regionMatches(true, 0, target.scheme() + ":", 0, afterColon)
            && original.startsWith("//", afterColon);
    if (slashes && !target.authority().isEmpty()) {
      throw new IllegalArgumentException(
          "a "
              + target.scheme()
              + " target names no host, but this one names '"
              + target.authority()
              + "' (the // form needs three slashes: "
              + target.scheme()
              + ":///"
              + (isAbstract ? "name" : "absolute/path")
              + ")");
    }
    String path = slashes ? "/" + target.endpoint() : target.endpoint();
    if (path.isEmpty() || (slashes && path.equals("/"))) {
      throw new IllegalArgumentException(isAbstract ? "no abstract socket name" : "no socket path");
    }
    if (isAbstract) {
      return UnixAbstractAddress.of(path);
    }
    try {
      return UnixDomainSocketAddress.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("invalid socket path: " + e.getMessage(), e);
    }
  }

  static Resolver create(
      Target target, ResolverConn conn, ChannelEnvironment env, Backoff backoff) {
    try {
      return new StaticResolver(
          List.of(address(target)), null, conn, env.blockingExecutor(), backoff);
    } catch (IllegalArgumentException e) {
      Status error =
          Status.UNAVAILABLE.withDescription(
              "invalid "
                  + target.scheme()
                  + " target '"
                  + target.original()
                  + "': "
                  + e.getMessage());
      return new StaticResolver(List.of(), error, conn, env.blockingExecutor(), backoff);
    }
  }

  /** Built-in provider for {@value #SCHEME} or {@value #ABSTRACT_SCHEME}; in no registry. */
  static final class Provider implements ResolverProvider {
    private final String scheme;
    private final ChannelEnvironment env;
    private final BackoffConfig backoff;

    Provider(String scheme, ChannelEnvironment env, BackoffConfig backoff) {
      this.scheme = scheme;
      this.env = env;
      this.backoff = backoff;
    }

    @Override
    public String scheme() {
      return scheme;
    }

    @Override
    public Resolver newResolver(Target target, ResolverConn conn) {
      return create(target, conn, env, new Backoff(backoff, env.random()));
    }

    @Override
    public String defaultAuthority(Target target) {
      return DEFAULT_AUTHORITY;
    }
  }
}
