package dev.switchboard.clientconn.internal;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A {@code host:port} endpoint as written in targets: {@code name:port}, {@code 1.2.3.4:port},
 * {@code [v6]:port}, or a host alone (bare IPv6 included), which gets the default port.
 *
 * @param host the host name or IP literal, without brackets
 * @param port 0..65535
 */
record HostPort(String host, int port) {
  /** Port used when an endpoint names none, as grpc-go's resolvers do. */
  static final int DEFAULT_PORT = 443;

  HostPort {
    Objects.requireNonNull(host, "host");
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with {@code endpoint}
   */
  static HostPort parse(String endpoint) {
    String s = endpoint.trim();
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in '" + endpoint + "'");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("unexpected text after ']' in '" + endpoint + "'");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = s.lastIndexOf(':');
      if (colon >= 0 && s.indexOf(':') == colon) {
        host = s.substring(0, colon);
        port = s.substring(colon + 1);
      } else {
        host = s; // no colon, or several: a bare IPv6 literal
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("missing host in '" + endpoint + "'");
    }
    return new HostPort(host, port == null ? DEFAULT_PORT : parsePort(port, endpoint));
  }

  private static int parsePort(String port, String endpoint) {
    int value;
    try {
      value = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port '" + port + "' in '" + endpoint + "'");
    }
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException("port out of range in '" + endpoint + "'");
    }
    return value;
  }

  /** An unresolved socket address; resolvers look the name up off the serializer. */
  InetSocketAddress toUnresolved() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** Formats an address as {@code host:port}, bracketing IPv6, for authorities and targets. */
  static String format(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
