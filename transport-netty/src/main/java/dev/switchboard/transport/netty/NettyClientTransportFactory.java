package dev.switchboard.transport.netty;

import dev.switchboard.api.ClientKeepalive;
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
 * while open; transports hold their own, so they outlive {@link #close}. Serves one channel, so it
 * remembers the channel's keepalive back-off ({@link KeepaliveBackoff}). Thread-safe.
 */
final class NettyClientTransportFactory implements ClientTransportFactory {
  private final SharedEventLoopGroup eventLoops;
  private final EventLoopGroup group;
  private final NettyChannels channels;
  private final SslContext sslContext; // null: plaintext
  private final String description;
  private final long minKeepaliveTimeNanos;
  private final KeepaliveBackoff keepaliveBackoff = new KeepaliveBackoff();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param sslContext null for plaintext
   * @param description how connections are made, for {@link #describe()}
   */
  NettyClientTransportFactory(
      SharedEventLoopGroup eventLoops,
      NettyChannels channels,
      SslContext sslContext,
      String description) {
    this(eventLoops, channels, sslContext, description, ClientKeepalive.MIN_TIME.toNanos());
  }

  /**
   * A factory whose transports raise their keepalive time to {@code minKeepaliveTimeNanos}: {@link
   * ClientKeepalive#MIN_TIME} but in tests, which use shorter times.
   */
  NettyClientTransportFactory(
      SharedEventLoopGroup eventLoops,
      NettyChannels channels,
      SslContext sslContext,
      String description,
      long minKeepaliveTimeNanos) {
    this.channels = channels;
    this.minKeepaliveTimeNanos = minKeepaliveTimeNanos;
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
        channels,
        sslContext,
        minKeepaliveTimeNanos,
        keepaliveBackoff);
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
