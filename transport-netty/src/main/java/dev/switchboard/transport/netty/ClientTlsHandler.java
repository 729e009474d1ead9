package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.function.Consumer;

/**
 * Sits between a client connection's {@link SslHandler} and its {@link ClientHandler}: refuses a
 * handshake that did not choose {@code h2} by ALPN, publishes the TLS attributes, and turns TLS
 * failures into an UNAVAILABLE status saying what went wrong. Event loop only.
 */
final class ClientTlsHandler extends ChannelInboundHandlerAdapter {
  private final ClientHandler grpc;
  private final String peer;
  private final Consumer<SslHandler> handshakeDone;

  /**
   * @param peer the authority and address, for messages
   * @param handshakeDone adds the TLS attributes to the transport's, after a good handshake
   */
  ClientTlsHandler(ClientHandler grpc, String peer, Consumer<SslHandler> handshakeDone) {
    this.grpc = grpc;
    this.peer = peer;
    this.handshakeDone = handshakeDone;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      if (!done.isSuccess()) {
        fail(ctx, "TLS handshake with " + peer + " failed: " + TlsHandshake.describe(done.cause()));
      } else if (TlsHandshake.alpnProblem(ssl) != null) {
        fail(ctx, "TLS connection to " + peer + " refused: " + TlsHandshake.alpnProblem(ssl));
      } else {
        handshakeDone.accept(ssl);
      }
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (TlsHandshake.isTlsFailure(cause)) {
      fail(ctx, "TLS with " + peer + " failed: " + TlsHandshake.describe(cause));
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  private void fail(ChannelHandlerContext ctx, String description) {
    grpc.connectionFailed(Status.UNAVAILABLE.withDescription(description), false);
    ctx.close();
  }
}
