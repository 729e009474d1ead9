package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;

/** Cancels a stream: RST_STREAM(CANCEL) on the wire, listener closed with {@code reason}. */
record CancelStreamCommand(AbstractNettyStream stream, Status reason)
    implements WriteQueue.Command {
  @Override
  public void run() {
    stream.cancelOnEventLoop(reason);
  }

  @Override
  public void abort() {}
}
