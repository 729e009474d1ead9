package dev.switchboard.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * Writes one framed message as DATA. Also the write's completion listener: when the bytes have left
 * (written or failed) the stream's outstanding byte count drops.
 */
final class SendMessageCommand implements WriteQueue.Command, ChannelFutureListener {
  private final AbstractNettyStream stream;
  private final ByteBuf frame;
  private final int size;

  /** Takes ownership of {@code frame}. */
  SendMessageCommand(AbstractNettyStream stream, ByteBuf frame) {
    this.stream = stream;
    this.frame = frame;
    this.size = frame.readableBytes();
  }

  int size() {
    return size;
  }

  @Override
  public void run() {
    if (!stream.canSendOnEventLoop()) {
      frame.release();
      stream.onSentBytes(size);
      return;
    }
    AbstractGrpcHandler handler = stream.handler();
    handler.writeData(stream.id(), frame, false, handler.newPromise().addListener(this));
    handler.counters().messageSent();
  }

  @Override
  public void operationComplete(ChannelFuture future) {
    stream.onSentBytes(size);
  }

  @Override
  public void abort() {
    frame.release();
  }
}
