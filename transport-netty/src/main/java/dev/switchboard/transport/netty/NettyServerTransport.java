package dev.switchboard.transport.netty;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.transport.ServerConnectionListener;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportListener;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.TransportAttributes;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Listens on the configured addresses and gives each accepted connection a {@link ServerHandler}.
 * Thread-safe.
 *
 * <p>Holds a reference on the shared event loop group from {@link #start} until it is shut down and
 * every connection it accepted has closed, since those connections live on the group too.
 */
final class NettyServerTransport implements ServerTransport {
  private static final System.Logger LOG = System.getLogger(NettyServerTransport.class.getName());

  private final ServerTransportOptions options;
  private final SharedEventLoopGroup eventLoops;
  private final NettyChannels channels;
  private final SslContext sslContext; // null: plaintext
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  // Open connections plus one for the listening side until shutdown completes; the group
  // reference is released when it reaches zero.
  private final AtomicInteger users = new AtomicInteger(1);

  // Set once by start().
  private volatile EventLoopGroup group;
  private volatile ServerTransportListener listener;
  private volatile List<Channel> listenChannels = List.of();

  NettyServerTransport(
      ServerTransportOptions options,
      SharedEventLoopGroup eventLoops,
      NettyChannels channels,
      SslContext sslContext) {
    this.options = options;
    this.channels = channels;
    this.sslContext = sslContext;
    this.eventLoops = eventLoops;
  }

  @Override
  public void start(ServerTransportListener listener) throws IOException {
    Objects.requireNonNull(listener, "listener");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    this.listener = listener;
    EventLoopGroup g = eventLoops.acquire();
    group = g;
    ConnectionInitializer initializer = new ConnectionInitializer();
    List<Channel> bound = new ArrayList<>();
    for (SocketAddress address : options.addresses()) {
      Throwable failure = existingFile(address);
      if (failure == null) {
        try {
          ChannelFuture f = bootstrap(g, address, initializer).bind(channels.nettyAddress(address));
          failure = f.awaitUninterruptibly().cause();
          if (failure == null) {
            bound.add(f.channel());
            continue;
          }
        } catch (IllegalArgumentException e) {
          failure = e;
        }
      }
      for (Channel ch : bound) {
        ch.close().awaitUninterruptibly();
      }
      eventLoops.release(g);
      throw new IOException("failed to bind " + address + ": " + failure.getMessage(), failure);
    }
    listenChannels = List.copyOf(bound);
  }

  /** A bootstrap for listening on {@code address}: TCP options only for TCP. */
  private ServerBootstrap bootstrap(
      EventLoopGroup g, SocketAddress address, ConnectionInitializer initializer) {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(g)
            .channel(channels.serverChannelClass(address))
            .childHandler(initializer);
    if (NettyChannels.isTcp(address)) {
      b.option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true);
    }
    return b;
  }

  /**
   * {@return why a Unix socket path cannot be bound because a file is there, or null} Checked
   * before binding because epoll's bind would delete the file (NIO's fails). Never removed here:
   * another server may listen on it, and telling a stale socket from a live one is the operator's
   * call.
   */
  private static IOException existingFile(SocketAddress address) {
    if (address instanceof UnixDomainSocketAddress uds
        && Files.exists(uds.getPath(), LinkOption.NOFOLLOW_LINKS)) {
      return new FileAlreadyExistsException(
          uds.getPath().toString(),
          null,
          "the file exists: another server listens there, or one that died left it behind; it is"
              + " not removed automatically");
    }
    return null;
  }

  @Override
  public List<SocketAddress> listenAddresses() {
    List<SocketAddress> out = new ArrayList<>();
    for (Channel ch : listenChannels) {
      out.add(NettyChannels.jdkAddress(ch.localAddress()));
    }
    return out;
  }

  @Override
  public void shutdown() {
    if (!started.get() || !shutdown.compareAndSet(false, true)) {
      return;
    }
    List<Channel> channels = listenChannels;
    if (channels.isEmpty()) {
      listenersClosed();
      return;
    }
    AtomicInteger remaining = new AtomicInteger(channels.size());
    Runnable oneClosed =
        () -> {
          if (remaining.decrementAndGet() == 0) {
            listenersClosed();
          }
        };
    for (Channel ch : channels) {
      closeOnItsLoop(ch, oneClosed);
    }
  }

  /**
   * Closes a listening channel and runs {@code closed} once it is closed. The listener is added on
   * the channel's event loop. Added from another thread while the close completes, Netty notifies
   * twice: inline on the loop, which runs the listener, and by a task submitted from here, which
   * finds nothing left to run; but when the listener has released the group's last user, the loop
   * is shutting down, refuses that task and logs an error.
   */
  private static void closeOnItsLoop(Channel ch, Runnable closed) {
    try {
      ch.eventLoop().execute(() -> ch.close().addListener(f -> closed.run()));
    } catch (RejectedExecutionException e) {
      closed.run(); // the loop is gone, and the channel with it
    }
  }

  private void listenersClosed() {
    try {
      listener.serverShutdown();
    } finally {
      releaseUser();
    }
  }

  private void releaseUser() {
    if (users.decrementAndGet() == 0) {
      eventLoops.release(group);
    }
  }

  @Override
  public String toString() {
    return "NettyServerTransport" + options.addresses() + " by " + channels;
  }

  /**
   * Sets up each accepted connection, on its event loop: plaintext connections at once, TLS ones
   * once their handshake has finished (see {@link ServerTlsHandler}).
   */
  private final class ConnectionInitializer extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {
      users.incrementAndGet();
      ch.closeFuture().addListener(f -> releaseUser());
      Attributes attrs =
          Attributes.newBuilder()
              .set(TransportAttributes.REMOTE_ADDRESS, NettyChannels.jdkAddress(ch.remoteAddress()))
              .set(TransportAttributes.LOCAL_ADDRESS, NettyChannels.jdkAddress(ch.localAddress()))
              .build();
      if (sslContext == null) {
        setUpGrpc(ch, null, attrs);
      } else {
        SslHandler ssl = sslContext.newHandler(ch.alloc());
        ssl.setHandshakeTimeoutMillis(Math.max(1, options.handshakeTimeout().toMillis()));
        ch.pipeline()
            .addLast(ssl)
            .addLast(new ServerTlsHandler(attrs, (ctx, a) -> setUpGrpc(ch, ctx, a)));
      }
    }

    /** Adds the gRPC handler after {@code before}, or last when it is null. */
    private void setUpGrpc(Channel ch, ChannelHandlerContext before, Attributes attrs) {
      WriteQueue writeQueue = new WriteQueue(ch);
      NettyServerConnection connection = new NettyServerConnection(writeQueue, attrs);
      ServerHandler handler = ServerHandler.create(options, writeQueue, attrs);
      connection.setHandler(handler);
      ServerConnectionListener connectionListener;
      try {
        connectionListener = listener.connectionCreated(connection);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "connectionCreated failed; closing connection", e);
        ch.close();
        return;
      }
      handler.setConnectionListener(
          Objects.requireNonNull(connectionListener, "connectionCreated returned null"));
      if (before == null) {
        ch.pipeline().addLast(handler);
      } else {
        ch.pipeline().addAfter(before.name(), null, handler);
      }
    }
  }
}
