package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;

/** Graceful connection shutdown: GOAWAY, let open streams finish, then close. */
record GracefulCloseCommand(AbstractGrpcHandler handler, Status reason)
    implements WriteQueue.Command {
  @Override
  public void run() {
    handler.gracefulClose(reason);
  }

  @Override
  public void abort() {}
}
