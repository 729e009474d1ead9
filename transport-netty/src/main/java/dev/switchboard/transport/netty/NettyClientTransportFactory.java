package dev.switchboard.transport.netty;

import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes {@link NettyClientTransport}s. Holds a reference on the provider's shared event loop group
 * while open; transports hold their own, so they outlive {@link #close}. Thread-safe.
 */
final class NettyClientTransportFactory implements ClientTransportFactory {
  private final SharedEventLoopGroup eventLoops;
  private final EventLoopGroup group;
  private final SslContext sslContext; // null: plaintext
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param sslContext null for plaintext
   * @param description how connections are made, for {@link #describe()}
   */
  NettyClientTransportFactory(
      SharedEventLoopGroup eventLoops, SslContext sslContext, String description) {
    this.sslContext = sslContext;
    this.description = description;
    this.eventLoops = eventLoops;
    this.group = eventLoops.acquire();
  }

  @Override
  public ClientTransport newClientTransport(SocketAddress address, ClientTransportOptions options) {
    if (closed.get()) {
      throw new IllegalStateException("factory closed");
    }
    return new NettyClientTransport(
        Objects.requireNonNull(address, "address"),
        Objects.requireNonNull(options, "options"),
        eventLoops,
        sslContext);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      eventLoops.release(group);
    }
  }
}
