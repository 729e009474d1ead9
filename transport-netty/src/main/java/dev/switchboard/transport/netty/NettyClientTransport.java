package dev.switchboard.transport.netty;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.channelz.ChannelzSocket;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.TransportAttributes;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One HTTP/2 client connection: h2c with prior knowledge, or TLS with ALPN {@code h2} when given an
 * {@link SslContext} (the server's certificate must then name the authority's host). Thread-safe:
 * the public methods only set up the channel or queue commands to its event loop, where {@link
 * ClientHandler} does the work.
 *
 * <p>Keepalive: the time of {@link ClientTransportOptions#keepalive()}, raised to the factory's
 * minimum (10 s but in tests) and to its back-off after {@code too_many_pings} (see {@link
 * KeepaliveBackoff}).
 *
 * <p>An address carrying {@link TransportAttributes#HTTP_CONNECT_PROXY} is reached through that
 * proxy ({@link ProxyTunnel}, first in the pipeline); TLS and the authority stay the target's.
 *
 * <p>Holds a reference on the shared event loop group from {@link #start} until {@code
 * transportTerminated}.
 */
final class NettyClientTransport implements ClientTransport {
  private final SocketAddress address;
  private final ClientTransportOptions options;
  private final SharedEventLoopGroup eventLoops;
  private final NettyChannels channels;
  private final SslContext sslContext; // null: plaintext
  private final long minKeepaliveTimeNanos;
  private final KeepaliveBackoff keepaliveBackoff;
  private final AtomicBoolean started = new AtomicBoolean();

  // Set once by start(), before any stream can be made.
  private volatile Channel channel;
  private volatile ClientHandler handler;
  private final NettyChannelzSocket channelzSocket = new NettyChannelzSocket();
  private volatile WriteQueue writeQueue;
  private volatile Attributes attributes = Attributes.EMPTY;
  private volatile KeepaliveSettings keepalive = KeepaliveSettings.DISABLED;

  NettyClientTransport(
      SocketAddress address,
      ClientTransportOptions options,
      SharedEventLoopGroup eventLoops,
      NettyChannels channels,
      SslContext sslContext,
      long minKeepaliveTimeNanos,
      KeepaliveBackoff keepaliveBackoff) {
    this.address = Objects.requireNonNull(address, "address");
    this.channels = channels;
    this.sslContext = sslContext;
    this.minKeepaliveTimeNanos = minKeepaliveTimeNanos;
    this.keepaliveBackoff = keepaliveBackoff;
    this.options = Objects.requireNonNull(options, "options");
    this.eventLoops = eventLoops;
  }

  @Override
  public void start(ClientTransportListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    EventLoopGroup group = eventLoops.acquire();
    KeepaliveSettings ka =
        KeepaliveSettings.forClient(options.keepalive(), minKeepaliveTimeNanos, keepaliveBackoff);
    keepalive = ka;
    ClientHandler h =
        ClientHandler.create(
            listener,
            address,
            options.maxInboundMetadataSize(),
            options.frameLimits(),
            options.connectTimeout(),
            attrs -> attributes = attrs,
            () -> eventLoops.release(group),
            ka,
            () -> keepaliveBackoff.tooManyPings(ka.timeNanos()),
            options.flowControl());
    long connectMillis =
        Math.max(1, Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channels.channelClass(address))
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectMillis)
            .handler(proxied(sslContext == null ? plaintext(h) : tls(h), h));
    if (NettyChannels.isTcp(address)) {
      bootstrap.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
    }
    if (options.addressAttributes().get(TransportAttributes.HTTP_CONNECT_PROXY) != null) {
      bootstrap.disableResolver(); // the proxy resolves the target's host, not this client
    }
    ChannelFuture connect = connect(bootstrap);
    Channel ch = connect.channel();
    handler = h;
    channelzSocket.setHandler(h);
    writeQueue = new WriteQueue(ch);
    channel = ch;
    // In a later event loop task: whoever closed the channel may still be explaining why (an
    // SslHandler closes first, then fires the exception saying what the peer's alert was). The
    // listener is added on the loop (this transport holds the group, so the loop is running): added
    // from here while a refused connect closes the channel, Netty would also submit a notification
    // task from this thread, refused once channelClosed has let the group go.
    ch.eventLoop()
        .execute(
            () ->
                ch.closeFuture()
                    .addListener(f -> ch.eventLoop().execute(() -> h.channelClosed(connect))));
  }

  /** {@code handler} behind an HTTP CONNECT tunnel when the address carries a proxy. */
  private ChannelHandler proxied(ChannelHandler handler, ClientHandler h) {
    HttpConnectProxy proxy =
        options.addressAttributes().get(TransportAttributes.HTTP_CONNECT_PROXY);
    if (proxy == null) {
      return handler;
    }
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(handler);
        ProxyTunnel.addFirst(ch.pipeline(), proxy, address, options.connectTimeout(), h);
      }
    };
  }

  /**
   * Connects, or fails the connect saying why when {@code address} is one the channels cannot reach
   * (an abstract Unix socket without epoll); the failure is then reported as any refused connect.
   */
  private ChannelFuture connect(Bootstrap bootstrap) {
    SocketAddress remote;
    try {
      remote = channels.nettyAddress(address);
    } catch (IllegalArgumentException e) {
      ChannelFuture registered = bootstrap.register();
      Channel ch = registered.channel();
      ChannelFuture failed = ch.newFailedFuture(new ConnectException(e.getMessage()));
      registered.addListener(f -> ch.close());
      return failed;
    }
    return bootstrap.connect(remote);
  }

  private ChannelHandler plaintext(ClientHandler h) {
    h.earlyCloseHint("; this channel uses plaintext: does the server expect TLS?");
    return h;
  }

  private ChannelHandler tls(ClientHandler h) {
    String host = host(options.authority());
    int port = address instanceof InetSocketAddress inet ? inet.getPort() : -1;
    String peer = options.authority() + " (" + address + ")";
    h.earlyCloseHint("; the TLS handshake succeeded, so the server closed for another reason");
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        SslHandler ssl = sslContext.newHandler(ch.alloc(), host, port);
        ssl.setHandshakeTimeoutMillis(Math.max(1, options.connectTimeout().toMillis()));
        SSLEngine engine = ssl.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // verify the host name
        engine.setSSLParameters(params);
        ch.pipeline()
            .addLast(ssl)
            .addLast(
                new ClientTlsHandler(
                    h, peer, s -> attributes = TlsHandshake.attributes(attributes, s)))
            .addLast(h);
      }
    };
  }

  /** {@return the host of an authority: without port or IPv6 brackets} */
  static String host(String authority) {
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      return end > 0 ? hostPort.substring(1, end) : hostPort;
    }
    int colon = hostPort.lastIndexOf(':');
    return colon >= 0 && hostPort.indexOf(':') == colon ? hostPort.substring(0, colon) : hostPort;
  }

  @Override
  public <ReqT> ClientTransportStream<ReqT> newStream(
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> requestMarshaller) {
    Channel ch = channel;
    if (ch == null) {
      throw new IllegalStateException("transport not started");
    }
    return new NettyClientStream<>(
        handler, writeQueue, ch.alloc(), method, headers, callOptions, requestMarshaller, options);
  }

  @Override
  public void shutdown(Status reason) {
    Objects.requireNonNull(reason, "reason");
    WriteQueue q = writeQueue;
    if (q != null) {
      q.enqueue(new GracefulCloseCommand(handler, reason));
    }
  }

  @Override
  public void shutdownNow(Status reason) {
    Objects.requireNonNull(reason, "reason");
    WriteQueue q = writeQueue;
    if (q != null) {
      q.enqueue(new ForcefulCloseCommand(handler, reason));
    }
  }

  @Override
  public ChannelzSocket channelzSocket() {
    return channelzSocket;
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  /** {@return the keepalive this connection uses, once started} */
  KeepaliveSettings keepalive() {
    return keepalive;
  }

  @Override
  public String toString() {
    return "NettyClientTransport(" + address + ")";
  }
}
