package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.UnixAbstractAddress;
import dev.switchboard.api.transport.ClientTransportFactory;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The choice between epoll and NIO, and the channel classes and addresses of each. */
class NettyChannelsTest {
  private static final boolean LINUX_X86_64 =
      System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
          && System.getProperty("os.arch").matches("amd64|x86_64");

  @Test
  void autoPicksEpollOnLinuxX8664WhereTheNativeJarIsOnTheTestClassPath() {
    NettyChannels auto = NettyChannels.choose(null);
    assertEquals(LINUX_X86_64, auto.isEpoll(), auto.describe());
    if (LINUX_X86_64) {
      assertNull(NettyChannels.epollProblem());
      assertEquals("epoll (native transport found)", auto.describe());
    }
    assertEquals(auto.isEpoll(), NettyChannels.choose(" AUTO ").isEpoll());
  }

  @Test
  void theSettingForcesNioOrEpollAndRejectsOthers() {
    assertSame(NettyChannels.NIO, NettyChannels.choose("nio"));
    assertEquals("NIO (dev.switchboard.netty.transport=nio)", NettyChannels.NIO.describe());
    if (LINUX_X86_64) {
      assertTrue(NettyChannels.choose("epoll").isEpoll());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NettyChannels.choose("kqueue"));
    assertEquals(
        "dev.switchboard.netty.transport=kqueue is not one of auto, nio, epoll", e.getMessage());
  }

  @Test
  void aProviderReportsItsChoiceInTheFactoryDescription() {
    NettyTransportProvider provider = new NettyTransportProvider(null, "nio");
    try (ClientTransportFactory f =
        provider.newClientTransportFactory(TransportCredentials.insecure())) {
      assertEquals(
          "h2c (plaintext); sockets by NIO (dev.switchboard.netty.transport=nio)", f.describe());
    }
    NettyTransportProvider bad = new NettyTransportProvider(null, "bogus");
    assertThrows(
        IllegalArgumentException.class,
        () -> bad.newClientTransportFactory(TransportCredentials.insecure()));
    assertEquals(0, bad.eventLoops().refCount());
  }

  @Test
  void channelClassesAndAddressesPerKind() {
    NettyChannels nio = NettyChannels.NIO;
    UnixDomainSocketAddress file = UnixDomainSocketAddress.of("/tmp/x.sock");
    InetSocketAddress tcp = new InetSocketAddress("127.0.0.1", 1);
    assertEquals(NioDomainSocketChannel.class, nio.channelClass(file));
    assertEquals(NioServerSocketChannel.class, nio.serverChannelClass(tcp));
    assertSame(file, nio.nettyAddress(file));
    assertSame(tcp, nio.nettyAddress(tcp));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> nio.nettyAddress(UnixAbstractAddress.of("name")));
    assertTrue(e.getMessage().startsWith("unix-abstract:name is in Linux's abstract namespace"));
    assertThrows(
        IllegalArgumentException.class,
        () -> nio.nettyAddress(new io.netty.channel.local.LocalAddress("x")));

    if (LINUX_X86_64) {
      NettyChannels epoll = NettyChannels.choose("epoll");
      assertEquals(EpollDomainSocketChannel.class, epoll.channelClass(file));
      assertEquals(EpollServerSocketChannel.class, epoll.serverChannelClass(tcp));
      assertEquals(new DomainSocketAddress("/tmp/x.sock"), epoll.nettyAddress(file));
      assertEquals(
          new DomainSocketAddress("\0name"), epoll.nettyAddress(UnixAbstractAddress.of("name")));
    }
  }

  @Test
  void nettyDomainAddressesBecomeTheJdksAndOurs() {
    assertEquals(
        UnixDomainSocketAddress.of("/tmp/x.sock"),
        NettyChannels.jdkAddress(new DomainSocketAddress("/tmp/x.sock")));
    assertEquals(
        UnixAbstractAddress.of("name"),
        NettyChannels.jdkAddress(new DomainSocketAddress("\0name")));
    assertEquals(
        UnixDomainSocketAddress.of(""), NettyChannels.jdkAddress(new DomainSocketAddress("")));
    InetSocketAddress tcp = new InetSocketAddress("127.0.0.1", 1);
    assertSame(tcp, NettyChannels.jdkAddress(tcp));
    assertFalse(NettyChannels.isTcp(UnixAbstractAddress.of("n")));
  }
}
