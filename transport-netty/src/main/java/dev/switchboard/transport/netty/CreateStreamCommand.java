package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Creates a client stream on the wire by sending its request headers.
 *
 * @param headers the request headers, or {@code null} when the stream failed before start
 */
record CreateStreamCommand(NettyClientStream<?> stream, Http2Headers headers)
    implements WriteQueue.Command {
  @Override
  public void run() {
    stream.clientHandler().createStream(stream, headers);
  }

  @Override
  public void abort() {
    stream.finishUnstarted(
        Status.UNAVAILABLE.withDescription("transport event loop is gone"), true);
  }
}
