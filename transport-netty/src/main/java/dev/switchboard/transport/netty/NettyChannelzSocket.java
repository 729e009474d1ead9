package dev.switchboard.transport.netty;

import dev.switchboard.api.channelz.ChannelzSocket;
import dev.switchboard.api.channelz.SocketCounters;
import dev.switchboard.api.channelz.SocketStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connection as channelz sees it: the counters its handler keeps ({@link
 * AbstractGrpcHandler#counters()}) and, read on its event loop, its addresses and HTTP/2 connection
 * windows. Owned by the transport (client) or connection (server) from its creation, so that the
 * core can register it before the handler exists.
 *
 * <p>{@link #stats()} from another thread waits at most {@link #READ_TIMEOUT_MILLIS} for the event
 * loop; when the loop is gone or busy it answers with the counters read racily and no windows.
 */
final class NettyChannelzSocket implements ChannelzSocket {
  static final long READ_TIMEOUT_MILLIS = 1000;

  /** Counts of a connection without a handler yet: never written. */
  private static final SocketCounters NONE = new SocketCounters();

  private volatile AbstractGrpcHandler handler;

  /** The connection's handler exists. */
  void setHandler(AbstractGrpcHandler handler) {
    this.handler = handler;
  }

  @Override
  public SocketCounters counters() {
    AbstractGrpcHandler h = handler;
    return h == null ? NONE : h.counters();
  }

  @Override
  public SocketStats stats() {
    AbstractGrpcHandler h = handler;
    ChannelHandlerContext ctx = h == null ? null : h.context();
    if (ctx == null) {
      return new SocketStats(null, null, counters().snapshot(), -1, -1);
    }
    EventExecutor loop = ctx.executor();
    if (loop.inEventLoop()) {
      return read(h, ctx, true);
    }
    try {
      return loop.submit(() -> read(h, ctx, true)).get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      // the loop is gone or busy: the racy read below
    }
    return read(h, ctx, false);
  }

  private static SocketStats read(AbstractGrpcHandler h, ChannelHandlerContext ctx, boolean owned) {
    Channel ch = ctx.channel();
    long localWindow = -1;
    long remoteWindow = -1;
    if (owned && ch.isActive()) {
      Http2Connection connection = h.connection();
      Http2Stream connectionStream = connection.connectionStream();
      localWindow = h.decoder().flowController().windowSize(connectionStream);
      remoteWindow = h.encoder().flowController().windowSize(connectionStream);
    }
    return new SocketStats(
        ch.localAddress(), ch.remoteAddress(), h.counters().snapshot(), localWindow, remoteWindow);
  }
}
