package dev.switchboard.itests;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bare HTTP/2 client for sending requests no well-behaved gRPC client would send. One exchange
 * per connection; all buffers are released.
 */
final class RawHttp2Client implements AutoCloseable {
  /** What came back for the stream. */
  record Response(
      Http2Headers headers,
      Http2Headers trailers,
      byte[] data,
      Long resetCode,
      boolean connectionClosed) {
    /** grpc-status from the trailers, else from trailers-only headers; null when absent. */
    Integer grpcStatus() {
      CharSequence s = trailers != null ? trailers.get("grpc-status") : null;
      if (s == null && headers != null) {
        s = headers.get("grpc-status");
      }
      return s == null ? null : Integer.parseInt(s.toString());
    }

    String httpStatus() {
      return headers == null ? null : String.valueOf(headers.status());
    }
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  static Http2Headers grpcHeaders(int port, String path) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path(path)
        .authority("127.0.0.1:" + port)
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  /** A gRPC frame: flag, 4-byte length, payload. */
  static byte[] frame(int flag, int declaredLength, byte[] payload) {
    byte[] out = new byte[5 + payload.length];
    out[0] = (byte) flag;
    out[1] = (byte) (declaredLength >>> 24);
    out[2] = (byte) (declaredLength >>> 16);
    out[3] = (byte) (declaredLength >>> 8);
    out[4] = (byte) declaredLength;
    System.arraycopy(payload, 0, out, 5, payload.length);
    return out;
  }

  Response exchange(int port, Http2Headers headers, byte[] body) throws Exception {
    CompletableFuture<Response> result = new CompletableFuture<>();
    Collector collector = new Collector(result);
    Channel ch =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel c) {
                    c.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forClient().build(),
                            new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                  }
                })
            .connect("127.0.0.1", port)
            .sync()
            .channel();
    try {
      Http2StreamChannel stream =
          new Http2StreamChannelBootstrap(ch).handler(collector).open().sync().getNow();
      stream.write(new DefaultHttp2HeadersFrame(headers, body == null));
      if (body != null) {
        stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
      }
      stream.flush();
      return result.get(10, TimeUnit.SECONDS);
    } finally {
      ch.close().sync();
    }
  }

  private static final class Collector extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<Response> result;
    private Http2Headers headers;
    private Http2Headers trailers;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Collector(CompletableFuture<Response> result) {
      this.result = result;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame h) {
          if (headers == null) {
            headers = h.headers();
          } else {
            trailers = h.headers();
          }
          if (h.isEndStream()) {
            done(null, false);
          }
        } else if (msg instanceof Http2DataFrame d) {
          ByteBuf content = d.content();
          byte[] bytes = new byte[content.readableBytes()];
          content.readBytes(bytes);
          data.writeBytes(bytes);
          if (d.isEndStream()) {
            done(null, false);
          }
        } else if (msg instanceof Http2ResetFrame r) {
          done(r.errorCode(), false);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done(null, true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void done(Long reset, boolean closed) {
      result.complete(new Response(headers, trailers, data.toByteArray(), reset, closed));
    }
  }

  @Override
  public void close() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }
}
