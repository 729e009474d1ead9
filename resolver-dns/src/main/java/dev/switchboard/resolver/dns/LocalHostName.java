package dev.switchboard.resolver.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This machine's host name, for service-config choices that name client hosts. Looked up once, on
 * first use (which happens only for such a choice): {@code HOSTNAME} when the environment has it,
 * else {@link InetAddress#getLocalHost()}, which may consult the system's resolver once.
 */
final class LocalHostName {
  private LocalHostName() {}

  static String get() {
    return Holder.NAME;
  }

  private static final class Holder {
    static final String NAME = lookUp();

    private static String lookUp() {
      String env = System.getenv("HOSTNAME");
      if (env != null && !env.isEmpty()) {
        return env;
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "";
      }
    }
  }
}
