package dev.switchboard.transport.netty;

import io.netty.handler.codec.http2.Http2Headers;

/**
 * Sends a server stream's response headers, or its trailers (with END_STREAM) when {@code
 * endStream}.
 */
record SendHeadersCommand(NettyServerStream stream, Http2Headers headers, boolean endStream)
    implements WriteQueue.Command {
  @Override
  public void run() {
    stream.writeHeadersOnEventLoop(headers, endStream);
  }

  @Override
  public void abort() {}
}
