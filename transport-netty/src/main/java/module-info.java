/**
 * The {@code netty} transport: gRPC over HTTP/2 (h2c with prior knowledge) on netty-codec-http2.
 * Exports nothing; found through the transport registry.
 *
 * <p>System properties read: {@code io.netty.*} (Netty's own), {@code
 * dev.switchboard.netty.tls.provider} ({@code auto}, {@code jdk} or {@code openssl}: which TLS
 * implementation to use). OpenSSL comes from {@code io.netty:netty-tcnative-boringssl-static} when
 * present; Netty's handler module only {@code requires static} it, so on the module path add {@code
 * --add-modules io.netty.tcnative.classes.openssl}. {@code dev.switchboard.netty.transport} ({@code
 * auto}, {@code nio} or {@code epoll}: which socket implementation to use). Epoll comes from {@code
 * io.netty:netty-transport-native-epoll} (its {@code linux-x86_64} jar) when present; it is only
 * {@code requires static} here, so on the module path add {@code --add-modules
 * io.netty.transport.classes.epoll,io.netty.transport.epoll.linux.x86_64}.
 */
module dev.switchboard.transport.netty {
  requires dev.switchboard.api;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.transport.unix.common;
  requires io.netty.codec;
  requires io.netty.handler;
  requires io.netty.codec.http;
  requires io.netty.codec.http2;
  requires io.netty.handler.proxy;
  // Optional: Netty's native epoll transport, used when it is resolved and loads (EpollChannels).
  requires static io.netty.transport.classes.epoll;
  // Build-time only: Declarative Services annotations, turned into OSGI-INF XML by bnd.
  requires static org.osgi.service.component.annotations;

  provides dev.switchboard.api.transport.TransportProvider with
      dev.switchboard.transport.netty.NettyTransportProvider;
}
