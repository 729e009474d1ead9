package dev.switchboard.transport.netty;

import dev.switchboard.api.UnixAbstractAddress;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Locale;

/**
 * Which socket implementation a provider's connections use, and the channel class and address for
 * each kind of address. Netty's native epoll transport when {@code
 * io.netty:netty-transport-classes-epoll} and its {@code linux-x86_64} native jar are present and
 * load, else NIO. System property {@value #PROPERTY} = {@code auto} (the default), {@code nio} or
 * {@code epoll} forces one; {@code epoll} when it cannot be used is an error saying why.
 *
 * <p>Addresses: {@link InetSocketAddress} (TCP), {@link UnixDomainSocketAddress} (a socket file;
 * NIO's or epoll's domain socket channels) and {@link UnixAbstractAddress} (Linux's abstract
 * namespace, epoll only). Netty's epoll channels report {@link DomainSocketAddress}es; {@link
 * #jdkAddress} turns them back into the JDK's and ours.
 *
 * <p>The epoll classes are touched only through {@link EpollChannels}, and only after {@link
 * #epollProblem()} found them: without the optional jar (or, in OSGi, the optionally imported
 * bundle) nothing here fails to load. Immutable.
 */
final class NettyChannels {
  /** The system property forcing an implementation. */
  static final String PROPERTY = "dev.switchboard.netty.transport";

  /** NIO, for tests and for {@link SharedEventLoopGroup}'s default. */
  static final NettyChannels NIO = new NettyChannels(false, PROPERTY + "=nio");

  private static final System.Logger LOG = System.getLogger(NettyChannels.class.getName());
  private static final String EPOLL_CLASS = "io.netty.channel.epoll.Epoll";

  private final boolean epoll;
  private final String reason;

  private NettyChannels(boolean epoll, String reason) {
    this.epoll = epoll;
    this.reason = reason;
  }

  /**
   * {@return the implementation {@code setting} asks for}
   *
   * @param setting {@code auto}, {@code nio}, {@code epoll}, or null for {@code auto}
   * @throws IllegalArgumentException when {@code setting} is unknown, or is {@code epoll} and epoll
   *     cannot be used
   */
  static NettyChannels choose(String setting) {
    String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    NettyChannels choice =
        switch (s) {
          case "nio" -> NIO;
          case "epoll" -> {
            String problem = epollProblem();
            if (problem != null) {
              throw new IllegalArgumentException(
                  PROPERTY + "=epoll, but epoll cannot be used: " + problem);
            }
            yield new NettyChannels(true, PROPERTY + "=epoll");
          }
          case "auto", "" -> {
            String problem = epollProblem();
            yield problem == null
                ? new NettyChannels(true, "native transport found")
                : new NettyChannels(false, problem);
          }
          default ->
              throw new IllegalArgumentException(
                  PROPERTY + "=" + setting + " is not one of auto, nio, epoll");
        };
    LOG.log(System.Logger.Level.DEBUG, () -> "sockets by " + choice.describe());
    return choice;
  }

  /** {@return why epoll cannot be used here, or null when it can} */
  static String epollProblem() {
    try {
      Class.forName(EPOLL_CLASS, false, NettyChannels.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return "epoll is not available (io.netty:netty-transport-native-epoll is not on the class"
          + " path)";
    }
    return EpollChannels.problem();
  }

  /** {@return true for epoll, false for NIO} */
  boolean isEpoll() {
    return epoll;
  }

  /** {@return the I/O handlers of the event loops this implementation's channels need} */
  IoHandlerFactory ioHandlerFactory() {
    return epoll ? EpollChannels.ioHandlerFactory() : NioIoHandler.newFactory();
  }

  /** {@return whether {@code address} is TCP, so that TCP socket options apply} */
  static boolean isTcp(SocketAddress address) {
    return address instanceof InetSocketAddress;
  }

  /** {@return the class of a channel connecting to {@code nettyAddress(remote)}} */
  Class<? extends Channel> channelClass(SocketAddress remote) {
    boolean domain = !isTcp(remote);
    if (epoll) {
      return EpollChannels.channelClass(domain);
    }
    return domain ? NioDomainSocketChannel.class : NioSocketChannel.class;
  }

  /** {@return the class of a channel listening on {@code nettyAddress(local)}} */
  Class<? extends ServerChannel> serverChannelClass(SocketAddress local) {
    boolean domain = !isTcp(local);
    if (epoll) {
      return EpollChannels.serverChannelClass(domain);
    }
    return domain ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class;
  }

  /**
   * {@return {@code address} as this implementation's channels take it}
   *
   * @throws IllegalArgumentException for an address it cannot connect to or listen on, saying why
   */
  SocketAddress nettyAddress(SocketAddress address) {
    if (address instanceof InetSocketAddress) {
      return address;
    }
    if (address instanceof UnixDomainSocketAddress uds) {
      return epoll ? new DomainSocketAddress(uds.getPath().toString()) : uds;
    }
    if (address instanceof UnixAbstractAddress abs) {
      if (!epoll) {
        throw new IllegalArgumentException(
            abs
                + " is in Linux's abstract namespace, which needs Netty's epoll transport, but"
                + " sockets are by NIO ("
                + reason
                + ")");
      }
      return new DomainSocketAddress("\0" + abs.name());
    }
    if (address instanceof DomainSocketAddress && epoll) {
      return address;
    }
    throw new IllegalArgumentException(
        "unsupported address "
            + address
            + " ("
            + address.getClass().getName()
            + "): the netty transport takes InetSocketAddress, UnixDomainSocketAddress and"
            + " UnixAbstractAddress");
  }

  /**
   * {@return {@code address} as reported to the core: Netty's {@link DomainSocketAddress} becomes a
   * {@link UnixDomainSocketAddress} or, for a name with a leading NUL, a {@link
   * UnixAbstractAddress}; anything else is returned as is}
   */
  static SocketAddress jdkAddress(SocketAddress address) {
    if (address instanceof DomainSocketAddress d) {
      String path = d.path();
      if (path.startsWith("\0") && path.length() > 1) {
        return UnixAbstractAddress.of(path.substring(1));
      }
      return UnixDomainSocketAddress.of(path.startsWith("\0") ? "" : path);
    }
    return address;
  }

  /** {@return the implementation and why it was chosen, as shown in a channel's wiring} */
  String describe() {
    return (epoll ? "epoll" : "NIO") + " (" + reason + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
