package dev.switchboard.resolver.dns;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * One resolver's handle on Netty's DNS client: owns a {@link DnsNameResolver} (a UDP socket, plus
 * TCP for truncated answers) that is created on the first lookup and touched only on its event
 * loop. Other threads send it commands ({@link #lookup}, {@link #close}).
 *
 * <p>Lookups ask for A and AAAA records, from the given name server or else the system's (Netty's
 * platform default: {@code /etc/resolv.conf} on Unix), after {@code /etc/hosts}. Netty's answer
 * caches are off: every lookup goes to the name server, and the caller's rate limit is the only
 * damper (as in grpc-go, which has no cache either).
 */
final class DnsLookupClient {
  /** A lookup's outcome; called on the event loop, at most once per lookup, never after close. */
  interface Callback {
    void onAddresses(List<InetAddress> addresses);

    void onFailure(Throwable cause);
  }

  private final EventLoop eventLoop;
  private final InetSocketAddress nameServer;
  private final long queryTimeoutMillis;

  // Only touched on the event loop.
  private DnsNameResolver resolver;
  private boolean closed;

  /**
   * @param nameServer the name server to ask, or {@code null} for the system's
   * @param queryTimeoutMillis how long one query may take
   */
  DnsLookupClient(EventLoop eventLoop, InetSocketAddress nameServer, long queryTimeoutMillis) {
    this.eventLoop = Objects.requireNonNull(eventLoop, "eventLoop");
    this.nameServer = nameServer;
    this.queryTimeoutMillis = queryTimeoutMillis;
  }

  /** Looks {@code host} up; from any thread. */
  void lookup(String host, Callback callback) {
    Lookup lookup = new Lookup(host, callback);
    try {
      eventLoop.execute(lookup);
    } catch (RejectedExecutionException e) {
      callback.onFailure(e);
    }
  }

  /** Closes the socket; outstanding lookups never call back. From any thread; idempotent. */
  void close() {
    try {
      eventLoop.execute(new Close());
    } catch (RejectedExecutionException e) {
      // The loop is gone, and with it the channels registered on it.
    }
  }

  private DnsNameResolver newResolver() {
    DnsNameResolverBuilder builder =
        new DnsNameResolverBuilder(eventLoop)
            .datagramChannelType(NioDatagramChannel.class)
            .socketChannelType(NioSocketChannel.class)
            .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED) // both families, A and AAAA
            .resolveCache(NoopDnsCache.INSTANCE)
            .cnameCache(NoopDnsCnameCache.INSTANCE)
            .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
            .queryTimeoutMillis(queryTimeoutMillis);
    if (nameServer != null) {
      builder.nameServerProvider(new SingletonDnsServerAddressStreamProvider(nameServer));
    }
    return builder.build();
  }

  /** Starts one lookup; runs on the event loop and reports back there. */
  private final class Lookup implements Runnable, FutureListener<List<InetAddress>> {
    private final String host;
    private final Callback callback;

    Lookup(String host, Callback callback) {
      this.host = host;
      this.callback = Objects.requireNonNull(callback, "callback");
    }

    @Override
    public void run() {
      assert eventLoop.inEventLoop();
      if (closed) {
        return;
      }
      Future<List<InetAddress>> answer;
      try {
        if (resolver == null) {
          resolver = newResolver();
        }
        answer = resolver.resolveAll(host);
      } catch (RuntimeException e) {
        callback.onFailure(e);
        return;
      }
      answer.addListener(this);
    }

    @Override
    public void operationComplete(Future<List<InetAddress>> answer) {
      if (closed) {
        return;
      }
      if (answer.isSuccess()) {
        callback.onAddresses(answer.getNow());
      } else {
        callback.onFailure(answer.cause());
      }
    }
  }

  /** Closes the Netty resolver and its channels; runs on the event loop. */
  private final class Close implements Runnable {
    @Override
    public void run() {
      assert eventLoop.inEventLoop();
      closed = true;
      if (resolver != null) {
        resolver.close();
        resolver = null;
      }
    }
  }
}
