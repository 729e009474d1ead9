package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;

/** Immediate connection shutdown: open streams close with {@code reason}, the channel closes. */
record ForcefulCloseCommand(AbstractGrpcHandler handler, Status reason)
    implements WriteQueue.Command {
  @Override
  public void run() {
    handler.forcefulClose(reason);
  }

  @Override
  public void abort() {}
}
