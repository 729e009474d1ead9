package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.HostPort;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.Target;
import dev.switchboard.api.transport.TransportAttributes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The built-in resolver of a {@code host:port} target that goes through an HTTP CONNECT proxy
 * ({@link ProxySelection}), in place of the scheme's own ({@code dns} or {@code passthrough}): the
 * target's host is not looked up here (gRFC A1: the proxy resolves it), only the proxy's. It
 * reports one address, the target's unresolved {@code host:port} carrying the proxy, resolved, in
 * {@link TransportAttributes#HTTP_CONNECT_PROXY}; the transport connects to the proxy and names
 * that {@code host:port} in its {@code CONNECT} request. A {@link StaticResolver} over the proxy's
 * address does the lookup (on the blocking executor, retried with backoff); a malformed proxy
 * variable is reported as its error.
 */
final class ProxiedResolver {
  private ProxiedResolver() {}

  /** {@return the provider replacing the resolver of {@code scheme} for one channel} */
  static ResolverProvider provider(
      String scheme,
      HostPort target,
      ProxySelection.Choice choice,
      ChannelEnvironment env,
      BackoffConfig backoff) {
    return new ResolverProvider() {
      @Override
      public String scheme() {
        return scheme;
      }

      @Override
      public Resolver newResolver(Target t, ResolverConn conn) {
        Backoff b = new Backoff(backoff, env.random());
        if (choice.error() != null) {
          return new StaticResolver(List.of(), choice.error(), conn, env.blockingExecutor(), b);
        }
        HttpConnectProxy proxy = choice.proxy();
        return new StaticResolver(
            List.of(proxy.address()),
            null,
            conn,
            env.blockingExecutor(),
            b,
            InetAddress::getByName,
            resolved -> proxied(target, proxy, resolved),
            "HTTP CONNECT proxy host");
      }
    };
  }

  /** The target's unresolved address, carrying the proxy at its looked-up address. */
  static Address proxied(HostPort target, HttpConnectProxy proxy, SocketAddress resolvedProxy) {
    HttpConnectProxy at =
        resolvedProxy instanceof InetSocketAddress inet ? proxy.withAddress(inet) : proxy;
    return new Address(
        InetSocketAddress.createUnresolved(target.host(), target.port()),
        Attributes.newBuilder().set(TransportAttributes.HTTP_CONNECT_PROXY, at).build(),
        null);
  }
}
