package dev.switchboard.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Parses everything a handler under fuzzing wrote, as its peer would, and records what a correct
 * handler never writes: bytes that are not HTTP/2 frames, PUSH_PROMISE, RST_STREAM or GOAWAY with
 * INTERNAL_ERROR (the codec's answer to an exception in our code), and, from a server, response
 * headers without {@code :status} or trailers without a valid {@code grpc-status}.
 */
final class OutboundCheck extends Http2FrameAdapter {
  private static final int MAX_FRAME_SIZE = 0xFFFFFF;

  final List<String> problems;
  private final boolean server;

  OutboundCheck(boolean server, List<String> problems) {
    this.server = server;
    this.problems = problems;
  }

  /**
   * Parses {@code wire} (not released here); {@code ctx} is handed to the reader, which allocates
   * from it.
   */
  void parse(ChannelHandlerContext ctx, ByteBuf wire) {
    if (!server) {
      ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
      int n = preface.readableBytes();
      if (wire.readableBytes() < n
          || !ByteBufUtil.equals(wire, wire.readerIndex(), preface, 0, n)) {
        problems.add("the client did not start with the connection preface");
        return;
      }
      wire.skipBytes(n);
    }
    // The peer may have raised every limit: accept what HTTP/2 allows at all.
    DefaultHttp2HeadersDecoder headers = new DefaultHttp2HeadersDecoder(true, 1L << 24);
    try (DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(headers)) {
      headers.maxHeaderTableSize(Http2CodecUtil.MAX_HEADER_TABLE_SIZE);
      reader.maxFrameSize(MAX_FRAME_SIZE);
      while (wire.isReadable()) {
        int before = wire.readableBytes();
        reader.readFrame(ctx, wire, this);
        if (wire.readableBytes() == before) {
          problems.add("a truncated frame at the end: " + ByteBufUtil.hexDump(wire));
          return;
        }
      }
    } catch (Http2Exception e) {
      problems.add("wrote something that is not HTTP/2: " + e);
    }
  }

  @Override
  public void onHeadersRead(
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers h,
      int streamDependency,
      short weight,
      boolean exclusive,
      int padding,
      boolean endOfStream) {
    onHeadersRead(ctx, streamId, h, padding, endOfStream);
  }

  @Override
  public void onHeadersRead(
      ChannelHandlerContext ctx, int streamId, Http2Headers h, int padding, boolean endOfStream) {
    if (!server) {
      return;
    }
    if (h.status() == null && !h.contains(GrpcHeaders.GRPC_STATUS)) {
      problems.add("stream " + streamId + ": headers without :status or grpc-status: " + h);
    }
    if (endOfStream) {
      CharSequence status = h.get(GrpcHeaders.GRPC_STATUS);
      if (status == null || !status.toString().matches("[0-9]|1[0-6]")) {
        problems.add("stream " + streamId + ": trailers with grpc-status " + status);
      }
    }
  }

  @Override
  public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
    if (errorCode == Http2Error.INTERNAL_ERROR.code()) {
      problems.add("RST_STREAM INTERNAL_ERROR on stream " + streamId);
    }
  }

  @Override
  public void onGoAwayRead(
      ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
    if (errorCode == Http2Error.INTERNAL_ERROR.code()) {
      problems.add("GOAWAY INTERNAL_ERROR: " + debugData.toString(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void onPushPromiseRead(
      ChannelHandlerContext ctx,
      int streamId,
      int promisedStreamId,
      Http2Headers headers,
      int padding) {
    problems.add("PUSH_PROMISE");
  }

  @Override
  public void onUnknownFrame(
      ChannelHandlerContext ctx,
      byte frameType,
      int streamId,
      io.netty.handler.codec.http2.Http2Flags flags,
      ByteBuf payload) {
    problems.add("unknown frame type " + frameType);
  }
}
