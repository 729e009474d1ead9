package dev.switchboard.resolver.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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

  /**
   * Looks {@code host} up; from any thread. The future completes on the event loop, with the
   * addresses or the failure, at most once and never after {@link #close()} (a lookup outstanding
   * then stays incomplete).
   */
  CompletableFuture<List<InetAddress>> lookup(String host) {
    Lookup lookup = new Lookup(host);
    try {
      eventLoop.execute(lookup);
    } catch (RejectedExecutionException e) {
      lookup.answer.completeExceptionally(e);
    }
    return lookup.answer;
  }

  /**
   * Asks for the TXT records of {@code name}; from any thread. The future completes on the event
   * loop with each record's character strings joined (an empty list for NXDOMAIN or no records), or
   * with the failure; never after {@link #close()}.
   */
  CompletableFuture<List<String>> lookupTxt(String name) {
    CompletableFuture<List<String>> answer = new CompletableFuture<>();
    try {
      eventLoop.execute(() -> queryTxt(name, answer));
    } catch (RejectedExecutionException e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  private void queryTxt(String name, CompletableFuture<List<String>> answer) {
    if (closed) {
      return;
    }
    Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> query;
    try {
      if (resolver == null) {
        resolver = newResolver();
      }
      query = resolver.query(new DefaultDnsQuestion(name, DnsRecordType.TXT));
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
      return;
    }
    query.addListener(
        (Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> done) -> {
          if (closed) {
            if (done.isSuccess()) {
              done.getNow().release();
            }
            return;
          }
          if (!done.isSuccess()) {
            answer.completeExceptionally(done.cause());
            return;
          }
          AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = done.getNow();
          try {
            answer.complete(txtStrings(envelope.content()));
          } catch (RuntimeException e) {
            answer.completeExceptionally(e);
          } finally {
            envelope.release();
          }
        });
  }

  /** Each TXT answer's character strings, joined; nothing for NXDOMAIN. */
  private static List<String> txtStrings(DnsResponse response) {
    List<String> out = new ArrayList<>();
    if (response.code() != DnsResponseCode.NOERROR) {
      return out;
    }
    for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
      DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
      if (record.type() == DnsRecordType.TXT && record instanceof DnsRawRecord raw) {
        ByteBuf data = raw.content().duplicate();
        StringBuilder text = new StringBuilder();
        while (data.isReadable()) {
          int length = data.readUnsignedByte();
          if (length > data.readableBytes()) {
            throw new IllegalStateException("malformed TXT record for " + record.name());
          }
          text.append(data.readCharSequence(length, StandardCharsets.UTF_8));
        }
        out.add(text.toString());
      }
    }
    return out;
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
    final CompletableFuture<List<InetAddress>> answer = new CompletableFuture<>();

    Lookup(String host) {
      this.host = host;
    }

    @Override
    public void run() {
      assert eventLoop.inEventLoop();
      if (closed) {
        return;
      }
      Future<List<InetAddress>> result;
      try {
        if (resolver == null) {
          resolver = newResolver();
        }
        result = resolver.resolveAll(host);
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
        return;
      }
      result.addListener(this);
    }

    @Override
    public void operationComplete(Future<List<InetAddress>> result) {
      if (closed) {
        return;
      }
      if (result.isSuccess()) {
        answer.complete(result.getNow());
      } else {
        answer.completeExceptionally(result.cause());
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
