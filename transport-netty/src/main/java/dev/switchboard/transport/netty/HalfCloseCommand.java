package dev.switchboard.transport.netty;

/** Ends a client stream's request side: an empty DATA frame with END_STREAM. */
record HalfCloseCommand(NettyClientStream<?> stream) implements WriteQueue.Command {
  @Override
  public void run() {
    stream.halfCloseOnEventLoop();
  }

  @Override
  public void abort() {}
}
