package dev.switchboard.resolver.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authoritative-looking DNS server on 127.0.0.1 (UDP, random port) for tests, built from Netty's
 * DNS codec. Answers A and AAAA questions from a name → addresses map the test changes at run time
 * (a known name without records of the asked family gets an empty NOERROR answer), answers NXDOMAIN
 * for unknown names, and drops every query while {@link #dropQueries} is on. TTLs are 0.
 */
final class TestDnsServer implements AutoCloseable {
  private final Map<String, List<InetAddress>> records = new ConcurrentHashMap<>();
  private final Map<String, List<List<String>>> txtRecords = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> queryCounts = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<String> queryLog = new LinkedBlockingQueue<>();
  private final EventLoopGroup group;
  private final Channel channel;
  private volatile boolean drop;

  private TestDnsServer() throws InterruptedException {
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("test-dns-server", true), NioIoHandler.newFactory());
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<DatagramChannel>() {
                  @Override
                  protected void initChannel(DatagramChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new DatagramDnsQueryDecoder(),
                            new DatagramDnsResponseEncoder(),
                            new Responder());
                  }
                })
            .bind(new InetSocketAddress(NetUtil.LOCALHOST4, 0))
            .sync()
            .channel();
  }

  static TestDnsServer start() throws InterruptedException {
    return new TestDnsServer();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** {@code 127.0.0.1:port}, for a target's authority. */
  String authority() {
    return "127.0.0.1:" + port();
  }

  /** Serves {@code name} with these IPv4 and IPv6 literals, replacing what it had. */
  void set(String name, String... ips) {
    records.put(normalize(name), Arrays.stream(ips).map(DnsTarget::ipLiteral).toList());
  }

  /**
   * Serves TXT records for {@code name}, each given as its character strings (a record longer than
   * 255 bytes is several strings), replacing what it had.
   */
  @SafeVarargs
  final void setTxt(String name, List<String>... records) {
    txtRecords.put(normalize(name), List.of(records));
  }

  /** Forgets {@code name}: it is NXDOMAIN from now on. */
  void remove(String name) {
    records.remove(normalize(name));
  }

  void dropQueries(boolean drop) {
    this.drop = drop;
  }

  /** Questions received for {@code name}, answered or not. */
  int queryCount(String name) {
    AtomicInteger n = queryCounts.get(normalize(name));
    return n == null ? 0 : n.get();
  }

  /** Questions received for any name. */
  int totalQueries() {
    return queryCounts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Waits for the next question received ({@code "name TYPE"}); null on timeout. */
  String awaitQuery(long timeout, TimeUnit unit) throws InterruptedException {
    return queryLog.poll(timeout, unit);
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** Answers one query; the decoder's query is released by SimpleChannelInboundHandler. */
  private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DnsQuestion question = query.recordAt(DnsSection.QUESTION);
      String name = normalize(question.name());
      queryCounts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      queryLog.add(name + " " + question.type().name());
      if (drop) {
        return;
      }
      DatagramDnsResponse response =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id(), DnsOpCode.QUERY);
      response.setAuthoritativeAnswer(true);
      response.setRecursionDesired(query.isRecursionDesired());
      response.setRecursionAvailable(true);
      // Echo the question as asked: the client may randomize its letter case.
      response.addRecord(DnsSection.QUESTION, question);
      if (question.type() == DnsRecordType.TXT) {
        List<List<String>> txt = txtRecords.get(name);
        if (txt == null) {
          response.setCode(DnsResponseCode.NXDOMAIN);
        } else {
          for (List<String> record : txt) {
            ByteBuf rdata = Unpooled.buffer();
            for (String part : record) {
              byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
              rdata.writeByte(bytes.length).writeBytes(bytes);
            }
            response.addRecord(
                DnsSection.ANSWER,
                new DefaultDnsRawRecord(question.name(), DnsRecordType.TXT, 0, rdata));
          }
        }
        ctx.writeAndFlush(response);
        return;
      }
      List<InetAddress> addresses = records.get(name);
      if (addresses == null) {
        response.setCode(DnsResponseCode.NXDOMAIN);
      } else {
        for (InetAddress a : addresses) {
          boolean matches =
              question.type() == DnsRecordType.A
                  ? a instanceof Inet4Address
                  : question.type() == DnsRecordType.AAAA && a instanceof Inet6Address;
          if (matches) {
            response.addRecord(
                DnsSection.ANSWER,
                new DefaultDnsRawRecord(
                    question.name(), question.type(), 0, Unpooled.wrappedBuffer(a.getAddress())));
          }
        }
      }
      ctx.writeAndFlush(response);
    }
  }
}
