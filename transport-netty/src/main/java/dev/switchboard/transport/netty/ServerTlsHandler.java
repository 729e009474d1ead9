package dev.switchboard.transport.netty;

import dev.switchboard.api.Attributes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.function.BiConsumer;

/**
 * Holds an accepted TLS connection back until its handshake finished: then refuses it unless ALPN
 * chose {@code h2}, or hands it with its TLS attributes to the gRPC setup, which adds the {@link
 * ServerHandler} behind this handler, and leaves the pipeline. A failed handshake closes the
 * connection ({@link SslHandler} already sent the client an alert saying why). Event loop only.
 */
final class ServerTlsHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(ServerTlsHandler.class.getName());

  private final Attributes base;
  private final BiConsumer<ChannelHandlerContext, Attributes> setUp;

  /**
   * @param base the connection's attributes before TLS (its addresses)
   * @param setUp adds the gRPC handler behind the given context, with the connection's attributes
   */
  ServerTlsHandler(Attributes base, BiConsumer<ChannelHandlerContext, Attributes> setUp) {
    this.base = base;
    this.setUp = setUp;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (!(evt instanceof SslHandshakeCompletionEvent done)) {
      super.userEventTriggered(ctx, evt);
      return;
    }
    if (!done.isSuccess()) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "TLS handshake with " + ctx.channel().remoteAddress() + " failed",
          done.cause());
      ctx.close();
      return;
    }
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    String problem = TlsHandshake.alpnProblem(ssl);
    if (problem != null) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "refusing TLS connection from " + ctx.channel().remoteAddress() + ": " + problem);
      ctx.close();
      return;
    }
    setUp.accept(ctx, TlsHandshake.attributes(base, ssl));
    ctx.fireChannelActive(); // the gRPC handler joined an active channel: start it
    ctx.pipeline().remove(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!TlsHandshake.isTlsFailure(cause)) {
      LOG.log(System.Logger.Level.DEBUG, "connection failed before TLS finished", cause);
    }
    ctx.close();
  }
}
