package dev.switchboard.testing;

/** Whether Netty is on the test's class path: the extensions touch it only when it is. */
final class NettyPresence {
  static final boolean PRESENT = isPresent();

  private NettyPresence() {}

  private static boolean isPresent() {
    try {
      Class.forName(
          "io.netty.util.internal.logging.InternalLoggerFactory",
          false,
          NettyPresence.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
