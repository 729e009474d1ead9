package dev.switchboard.transport.netty;

/**
 * {@link LoopbackTest} with sockets by NIO: where epoll is available the other loopback tests use
 * it (the default), so this keeps NIO's TCP channels covered.
 */
class LoopbackOverNioTest extends LoopbackTest {
  @Override
  NettyTransportProvider newProvider() {
    return new NettyTransportProvider(null, "nio");
  }
}
