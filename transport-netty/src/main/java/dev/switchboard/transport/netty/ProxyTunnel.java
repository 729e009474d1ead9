package dev.switchboard.transport.netty;

import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.Status;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.proxy.ProxyConnectionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * The HTTP CONNECT tunnel of a connection whose address carries {@link
 * dev.switchboard.api.transport.TransportAttributes#HTTP_CONNECT_PROXY}: Netty's {@link
 * HttpProxyHandler} first in the pipeline (before TLS), which connects to the proxy, sends {@code
 * CONNECT host:port} for the (unresolved) target with {@code Proxy-Authorization: Basic} when the
 * proxy has credentials, and holds back what the handlers behind it write until the proxy answers
 * 200. Behind it, this handler turns a failure (refusal, timeout, close, undecodable answer) into
 * the connection's UNAVAILABLE status naming the proxy and its answer, then leaves the pipeline
 * once the tunnel stands. The proxy's answer is read by Netty's HTTP codec with its default limits
 * (4 KiB status line, 8 KiB of headers) and must come within the connect timeout. Never puts the
 * password into a message. Event loop only.
 */
final class ProxyTunnel extends ChannelDuplexHandler {
  private static final int MAX_REASON = 200;

  private final ClientHandler grpc;
  private final HttpConnectProxy proxy;
  private final String target;
  private final ChannelHandler answerCheck = new AnswerCheck();
  private boolean established;

  private ProxyTunnel(ClientHandler grpc, HttpConnectProxy proxy, SocketAddress target) {
    this.grpc = grpc;
    this.proxy = proxy;
    this.target =
        target instanceof InetSocketAddress inet ? hostPort(inet) : String.valueOf(target);
  }

  /**
   * Puts the tunnel's handlers first in {@code pipeline}.
   *
   * @param target the address being connected to, named in the CONNECT request
   * @param connectTimeout how long the proxy may take to open the tunnel
   */
  static void addFirst(
      ChannelPipeline pipeline,
      HttpConnectProxy proxy,
      SocketAddress target,
      Duration connectTimeout,
      ClientHandler grpc) {
    HttpProxyHandler http =
        proxy.hasCredentials()
            ? new HttpProxyHandler(proxy.address(), proxy.username(), proxy.password())
            : new HttpProxyHandler(proxy.address());
    http.setConnectTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
    ProxyTunnel tunnel = new ProxyTunnel(grpc, proxy, target);
    pipeline.addFirst(tunnel);
    pipeline.addFirst(http); // which puts its HTTP codec before itself
    pipeline.addBefore(pipeline.context(http).name(), null, tunnel.answerCheck);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Runs before the transport's own close listener, which only queues its task: a proxy that
    // closes without answering is explained before the connection reports why it ended.
    ctx.channel()
        .closeFuture()
        .addListener(
            f -> {
              if (!established) {
                fail("closed the connection before answering CONNECT " + target);
              }
            });
  }

  @Override
  public void connect(
      ChannelHandlerContext ctx,
      SocketAddress remoteAddress,
      SocketAddress localAddress,
      ChannelPromise promise) {
    promise.addListener(
        f -> {
          if (!f.isSuccess()) {
            fail("unreachable: " + f.cause().getMessage());
          }
        });
    ctx.connect(remoteAddress, localAddress, promise);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!established && !promise.isVoid()) {
      // A failed tunnel fails the writes it held back first, and their writers may close the
      // channel before the failure reaches exceptionCaught: learn it from them.
      promise.addListener(
          f -> {
            if (f.cause() instanceof ProxyConnectException refused) {
              fail(describe(refused));
            }
          });
    }
    ctx.write(msg, promise);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof ProxyConnectException refused) {
      fail(describe(refused)); // the proxy handler closes the channel
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ProxyConnectionEvent) {
      established = true;
      ctx.pipeline().remove(answerCheck);
      ctx.pipeline().remove(this);
    }
    super.userEventTriggered(ctx, evt);
  }

  private void fail(String what) {
    grpc.connectionFailed(
        Status.UNAVAILABLE.withDescription("HTTP CONNECT proxy " + proxy.hostPort() + " " + what),
        false);
  }

  /**
   * Between the proxy handler's HTTP codec and the proxy handler: an answer the codec could not
   * decode (such as a head over its limits, which it reports as a failed message and then discards
   * the rest) fails the tunnel at once rather than at the connect timeout.
   */
  private static final class AnswerCheck extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
        Throwable cause = http.decoderResult().cause();
        ReferenceCountUtil.release(msg);
        ctx.fireExceptionCaught(cause); // the proxy handler fails the tunnel with it
        return;
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** {@code host:port} as the CONNECT request names it, IPv6 literals in brackets. */
  private static String hostPort(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** What the proxy answered, from the proxy handler's message (which carries no password). */
  private String describe(ProxyConnectException e) {
    String message = String.valueOf(e.getMessage());
    int status = message.indexOf(", status: ");
    if (status >= 0) {
      String answer = message.substring(status + ", status: ".length());
      if (answer.length() > MAX_REASON) {
        answer = answer.substring(0, MAX_REASON) + "...";
      }
      String hint = "";
      if (answer.startsWith("407")) {
        hint =
            proxy.hasCredentials()
                ? " (the proxy did not accept user '" + proxy.username() + "')"
                : " (the proxy wants credentials: http://user:password@host:port)";
      }
      return "refused CONNECT " + target + ": " + answer + hint;
    }
    if (message.endsWith(", disconnected")) {
      return "closed the connection before answering CONNECT " + target;
    }
    if (message.endsWith(", timeout")) {
      return "did not answer CONNECT " + target + " within the connect timeout";
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return "failed on CONNECT " + target + ": " + cause;
  }
}
