package dev.switchboard.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;

/**
 * Everything that names Netty's optional epoll classes, so that only this class fails to load
 * without them. Reached through {@link NettyChannels}, which first checks that they are present.
 * Stateless.
 */
final class EpollChannels {
  private EpollChannels() {}

  /** {@return why the native epoll transport cannot be used, or null when it can} */
  static String problem() {
    if (Epoll.isAvailable()) {
      return null;
    }
    Throwable cause = Epoll.unavailabilityCause();
    return "epoll is not available ("
        + (cause instanceof UnsatisfiedLinkError
            ? "no native library: io.netty:netty-transport-native-epoll for this platform is not"
                + " on the class path, or the system is not Linux; "
            : "")
        + cause
        + ")";
  }

  static IoHandlerFactory ioHandlerFactory() {
    return EpollIoHandler.newFactory();
  }

  static Class<? extends Channel> channelClass(boolean domain) {
    return domain ? EpollDomainSocketChannel.class : EpollSocketChannel.class;
  }

  static Class<? extends ServerChannel> serverChannelClass(boolean domain) {
    return domain ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class;
  }
}
