package dev.switchboard.benchmarks;

import java.util.Locale;

/**
 * The {@code --transport} flag both programs take, with AsyncClient's and AsyncServer's spellings:
 * {@code netty} or {@code netty_nio} for the JDK's NIO sockets (the default, as grpc-java's
 * comparisons run), {@code netty_epoll} for Netty's native epoll transport (Linux x86_64; its jars
 * are on the benchmarks' class path). It sets the Netty transport's {@value #PROPERTY} system
 * property, so it must be applied before the first channel or server is made.
 */
final class TransportFlag {
  /** The Netty transport's choice of sockets (see the README, "epoll or NIO"). */
  static final String PROPERTY = "dev.switchboard.netty.transport";

  static final Flags.Spec SPEC =
      Flags.Spec.value(
          "transport",
          "netty",
          "netty or netty_nio (NIO sockets), or netty_epoll (Netty's native epoll transport).");

  private TransportFlag() {}

  /**
   * {@return {@code nio} or {@code epoll}, as {@code flags} ask}
   *
   * @throws Flags.UsageException for another transport
   */
  static String sockets(Flags flags) throws Flags.UsageException {
    return switch (flags.string("transport")) {
      case "netty", "netty_nio" -> "nio";
      case "netty_epoll" -> "epoll";
      default ->
          throw new Flags.UsageException(
              "unsupported --transport=" + flags.string("transport").toLowerCase(Locale.ROOT));
    };
  }

  /**
   * Sets the socket choice {@code flags} ask for.
   *
   * @return {@code nio} or {@code epoll}
   */
  static String apply(Flags flags) throws Flags.UsageException {
    String sockets = sockets(flags);
    System.setProperty(PROPERTY, sockets);
    return sockets;
  }
}
