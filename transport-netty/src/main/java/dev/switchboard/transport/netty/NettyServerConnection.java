package dev.switchboard.transport.netty;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Status;
import dev.switchboard.api.channelz.ChannelzSocket;
import dev.switchboard.api.transport.ServerConnection;
import java.util.Objects;

/**
 * One accepted connection as the core sees it. Thread-safe: both shutdowns queue a command to the
 * connection's event loop.
 */
final class NettyServerConnection implements ServerConnection {
  private final WriteQueue writeQueue;
  private final Attributes attributes;
  private volatile ServerHandler handler;
  private final NettyChannelzSocket channelzSocket = new NettyChannelzSocket();

  NettyServerConnection(WriteQueue writeQueue, Attributes attributes) {
    this.writeQueue = writeQueue;
    this.attributes = attributes;
  }

  void setHandler(ServerHandler handler) {
    this.handler = handler;
    channelzSocket.setHandler(handler);
  }

  /** {@return the connection's handler, for tests that look at its HTTP/2 state} */
  ServerHandler handler() {
    return handler;
  }

  @Override
  public void shutdown() {
    writeQueue.enqueue(new GracefulCloseCommand(handler, Status.UNAVAILABLE));
  }

  @Override
  public void shutdownNow(Status reason) {
    writeQueue.enqueue(new ForcefulCloseCommand(handler, Objects.requireNonNull(reason, "reason")));
  }

  @Override
  public ChannelzSocket channelzSocket() {
    return channelzSocket;
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return "NettyServerConnection" + attributes;
  }
}
