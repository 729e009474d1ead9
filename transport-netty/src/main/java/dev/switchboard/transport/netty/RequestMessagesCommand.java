package dev.switchboard.transport.netty;

/** Lets a stream's deframer deliver {@code numMessages} more messages. */
record RequestMessagesCommand(AbstractNettyStream stream, int numMessages)
    implements WriteQueue.Command {
  @Override
  public void run() {
    stream.requestOnEventLoop(numMessages);
  }

  @Override
  public void abort() {}
}
