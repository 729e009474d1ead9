package dev.switchboard.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.MessageLite;
import dev.switchboard.interop.proto.Messages.BoolValue;
import dev.switchboard.interop.proto.Messages.ResponseParameters;
import dev.switchboard.interop.proto.Messages.SimpleRequest;
import dev.switchboard.interop.proto.Messages.SimpleResponse;
import dev.switchboard.interop.proto.Messages.StreamingInputCallRequest;
import dev.switchboard.interop.proto.Messages.StreamingInputCallResponse;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallRequest;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallResponse;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What no gRPC client API shows: the compressed flag of each message on the wire. A raw HTTP/2
 * client (Netty's frame codec, no gRPC library) calls our interop server and reads the 5-byte gRPC
 * message headers itself: responses are compressed exactly when the request asks
 * (server_compressed_unary/streaming, which both interop clients can only check for intact
 * payloads), and {@code expect_compressed} is enforced both ways (grpc-java's probes only check
 * "expected compressed, got uncompressed").
 */
class CompressionOnTheWireIT {
  private static InteropServer server;
  private static EventLoopGroup group;
  private static Channel connection;

  @BeforeAll
  static void start() throws Exception {
    server = InteropServer.start("127.0.0.1", 0);
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    connection =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forClient().build(),
                            new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                  }
                })
            .connect("127.0.0.1", server.port())
            .sync()
            .channel();
  }

  @AfterAll
  static void stop() throws Exception {
    if (connection != null) {
      connection.close().sync();
    }
    if (group != null) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
    if (server != null) {
      server.shutdown(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void unaryResponseIsCompressedExactlyWhenAsked() throws Exception {
    for (boolean compressed : new boolean[] {true, false}) {
      SimpleRequest request =
          SimpleRequest.newBuilder()
              .setResponseCompressed(BoolValue.newBuilder().setValue(compressed))
              .setResponseSize(314159)
              .setPayload(Payloads.zeros(271828))
              .build();
      RawCall call = call("UnaryCall", false, Frame.of(false, request));
      call.assertOk();
      assertEquals(
          List.of(compressed), call.flags(), "compressed flags, response_compressed=" + compressed);
      if (compressed) {
        assertEquals("gzip", call.header("grpc-encoding"));
      }
      SimpleResponse response = SimpleResponse.parseFrom(call.message(0));
      assertTrue(Payloads.isZeros(response.getPayload().getBody(), 314159));
    }
  }

  @Test
  void streamingResponsesAreCompressedOneByOne() throws Exception {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(
                ResponseParameters.newBuilder()
                    .setCompressed(BoolValue.newBuilder().setValue(true))
                    .setSize(31415))
            .addResponseParameters(
                ResponseParameters.newBuilder()
                    .setCompressed(BoolValue.newBuilder().setValue(false))
                    .setSize(92653))
            .build();
    RawCall call = call("StreamingOutputCall", false, Frame.of(false, request));
    call.assertOk();
    assertEquals("gzip", call.header("grpc-encoding"));
    assertEquals(List.of(true, false), call.flags());
    assertTrue(
        Payloads.isZeros(
            StreamingOutputCallResponse.parseFrom(call.message(0)).getPayload().getBody(), 31415));
    assertTrue(
        Payloads.isZeros(
            StreamingOutputCallResponse.parseFrom(call.message(1)).getPayload().getBody(), 92653));
  }

  @Test
  void uncompressedResponsesWhenNotAsked() throws Exception {
    RawCall call =
        call(
            "UnaryCall",
            false,
            Frame.of(false, SimpleRequest.newBuilder().setResponseSize(1000).build()));
    call.assertOk();
    assertEquals(List.of(false), call.flags());
  }

  @Test
  void expectCompressedIsCheckedBothWays() throws Exception {
    StreamingInputCallRequest expectCompressed =
        StreamingInputCallRequest.newBuilder()
            .setExpectCompressed(BoolValue.newBuilder().setValue(true))
            .setPayload(Payloads.zeros(27182))
            .build();
    StreamingInputCallRequest expectUncompressed =
        StreamingInputCallRequest.newBuilder()
            .setExpectCompressed(BoolValue.newBuilder().setValue(false))
            .setPayload(Payloads.zeros(45904))
            .build();

    RawCall ok =
        call(
            "StreamingInputCall",
            true,
            Frame.of(true, expectCompressed),
            Frame.of(false, expectUncompressed));
    ok.assertOk();
    assertEquals(
        73086, StreamingInputCallResponse.parseFrom(ok.message(0)).getAggregatedPayloadSize());

    RawCall notCompressed = call("StreamingInputCall", true, Frame.of(false, expectCompressed));
    assertEquals("3", notCompressed.status(), "expect_compressed=true, sent uncompressed");
    RawCall compressed = call("StreamingInputCall", true, Frame.of(true, expectUncompressed));
    assertEquals("3", compressed.status(), "expect_compressed=false, sent compressed");
    RawCall unary =
        call(
            "UnaryCall",
            true,
            Frame.of(
                true,
                SimpleRequest.newBuilder()
                    .setExpectCompressed(BoolValue.newBuilder().setValue(false))
                    .build()));
    assertEquals("3", unary.status(), "unary, expect_compressed=false, sent compressed");
  }

  // ---- a minimal gRPC-over-HTTP/2 client ----

  /** One request message: its bytes and whether to gzip them (flag 1). */
  record Frame(boolean compressed, byte[] message) {
    static Frame of(boolean compressed, MessageLite message) {
      return new Frame(compressed, message.toByteArray());
    }

    byte[] encode() throws IOException {
      byte[] body = compressed ? gzip(message) : message;
      return ByteBuffer.allocate(5 + body.length)
          .put((byte) (compressed ? 1 : 0))
          .putInt(body.length)
          .put(body)
          .array();
    }
  }

  private static RawCall call(String method, boolean gzipRequests, Frame... frames)
      throws Exception {
    RawCall call = new RawCall();
    Http2StreamChannel stream =
        new Http2StreamChannelBootstrap(connection).handler(call).open().sync().getNow();
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .authority("127.0.0.1:" + server.port())
            .path("/grpc.testing.TestService/" + method)
            .set("content-type", "application/grpc")
            .set("te", "trailers")
            .set("grpc-accept-encoding", "gzip");
    if (gzipRequests) {
      headers.set("grpc-encoding", "gzip");
    }
    stream.write(new DefaultHttp2HeadersFrame(headers));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Frame f : frames) {
      body.write(f.encode());
    }
    stream.writeAndFlush(
        new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body.toByteArray()), true));
    call.done.get(30, TimeUnit.SECONDS);
    return call;
  }

  /** Collects one stream's response: headers, DATA bytes, trailers. */
  static final class RawCall extends SimpleChannelInboundHandler<Http2StreamFrame> {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private Http2Headers headers;
    private Http2Headers trailers;
    private List<byte[]> messages;
    private List<Boolean> flags;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame)
        throws IOException {
      boolean end = false;
      if (frame instanceof Http2HeadersFrame h) {
        if (headers == null) {
          headers = h.headers();
        }
        if (h.isEndStream()) {
          trailers = h.headers(); // trailers, or a trailers-only response
        }
        end = h.isEndStream();
      } else if (frame instanceof Http2DataFrame d) {
        ByteBuf content = d.content();
        content.getBytes(content.readerIndex(), data, content.readableBytes());
        end = d.isEndStream();
      }
      if (end) {
        done.complete(null);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IOException("stream closed before the end"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
    }

    String header(String name) {
      CharSequence v = headers.get(name);
      return v == null ? null : v.toString();
    }

    String status() {
      CharSequence v = trailers.get("grpc-status");
      return v == null ? null : v.toString();
    }

    void assertOk() {
      assertEquals("200", header(":status"));
      assertTrue(header("content-type").startsWith("application/grpc"), header("content-type"));
      assertEquals(
          "0", status(), () -> "grpc-status, grpc-message: " + trailers.get("grpc-message"));
      assertNull(trailers.get("grpc-message"));
    }

    synchronized List<Boolean> flags() throws IOException {
      parse();
      return flags;
    }

    synchronized byte[] message(int i) throws IOException {
      parse();
      return flags.get(i) ? gunzip(messages.get(i)) : messages.get(i);
    }

    private void parse() {
      if (messages != null) {
        return;
      }
      messages = new ArrayList<>();
      flags = new ArrayList<>();
      ByteBuffer in = ByteBuffer.wrap(data.toByteArray());
      while (in.hasRemaining()) {
        byte flag = in.get();
        assertTrue(flag == 0 || flag == 1, "message flag " + flag);
        byte[] body = new byte[in.getInt()];
        in.get(body);
        flags.add(flag == 1);
        messages.add(body);
      }
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}
