package dev.switchboard.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.logging.LogLevel;

/**
 * Tells the server's {@link PingEnforcer} each time a HEADERS or DATA frame is actually written,
 * not when it is queued: a large message waits in the flow controller and goes out in many DATA
 * frames, and a client's BDP PING answers one of those frames. Counted at queueing time, the PINGs
 * of one long message would earn strikes. (grpc-go resets its strikes on each DATA frame written
 * too, grpc-java in a frame writer.)
 *
 * <p>It is a {@link Http2FrameLogger} because that is the only hook Netty's handler builder offers
 * into the frame writer, and building the codec by hand would lose its flood protections (see
 * {@link Http2CodecBuilder}). It logs nothing itself.
 */
final class FrameWriteMonitor extends Http2FrameLogger {
  private final PingEnforcer pings;

  FrameWriteMonitor(PingEnforcer pings) {
    super(LogLevel.TRACE, FrameWriteMonitor.class);
    this.pings = pings;
  }

  @Override
  public boolean isEnabled() {
    return false;
  }

  @Override
  public void logData(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      ByteBuf data,
      int padding,
      boolean endStream) {
    written(direction);
  }

  @Override
  public void logHeaders(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int padding,
      boolean endStream) {
    written(direction);
  }

  @Override
  public void logHeaders(
      Direction direction,
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int streamDependency,
      short weight,
      boolean exclusive,
      int padding,
      boolean endStream) {
    written(direction);
  }

  /** A HEADERS or DATA frame written resets the client's PING strikes. */
  private void written(Direction direction) {
    if (direction == Direction.OUTBOUND) {
      pings.reset();
    }
  }
}
