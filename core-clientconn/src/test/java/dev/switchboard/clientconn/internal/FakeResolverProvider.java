package dev.switchboard.clientconn.internal;

import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A resolver provider whose resolvers report only what the test tells them to. */
class FakeResolverProvider implements ResolverProvider {
  final String scheme;
  final List<FakeResolver> resolvers = new ArrayList<>();

  FakeResolverProvider(String scheme) {
    this.scheme = scheme;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public Resolver newResolver(Target target, ResolverConn conn) {
    FakeResolver r = new FakeResolver(target, conn);
    resolvers.add(r);
    return r;
  }

  FakeResolver last() {
    return resolvers.get(resolvers.size() - 1);
  }

  static Address address(int port) {
    return Address.of(new InetSocketAddress("127.0.0.1", port));
  }

  /** Records calls; the test reports through {@link #conn}. */
  static final class FakeResolver implements Resolver {
    final Target target;
    final ResolverConn conn;
    boolean started;
    boolean closed;
    int resolveNowCount;

    FakeResolver(Target target, ResolverConn conn) {
      this.target = target;
      this.conn = conn;
    }

    @Override
    public void start() {
      started = true;
    }

    @Override
    public void resolveNow() {
      resolveNowCount++;
    }

    @Override
    public void close() {
      closed = true;
    }

    void resolve(Address... addresses) {
      conn.updateState(ResolverState.of(List.of(addresses)));
    }
  }
}
