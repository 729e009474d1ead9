package dev.switchboard.api.spi;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A {@code host:port} as written in targets, for resolvers: {@code name:port}, {@code
 * 1.2.3.4:port}, {@code [v6]:port}, or a host alone ({@code name}, {@code 1.2.3.4}, {@code [v6]} or
 * a bare IPv6 literal), which gets the caller's default port. The host is checked only for being
 * present (and, unbracketed with several colons, for looking like an IPv6 literal); name syntax is
 * the resolver's business. Immutable.
 *
 * @param host the host name or IP literal, without brackets; never empty
 * @param port 0..65535
 * @since 0.3
 */
public record HostPort(String host, int port) {
  /** The port of an endpoint that names none, as grpc-go's resolvers use: {@value}. */
  public static final int DEFAULT_PORT = 443;

  /**
   * Checks the parts.
   *
   * @param host the host name or IP literal, without brackets; never empty
   * @param port 0..65535
   * @throws IllegalArgumentException when {@code host} is empty or {@code port} is out of range
   */
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /**
   * Parses {@code text} (surrounding white space ignored), with {@value #DEFAULT_PORT} as the
   * default port.
   *
   * @param text {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port} or a bare IPv6
   *     literal
   * @return the host and port
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static HostPort parse(String text) {
    return parse(text, DEFAULT_PORT);
  }

  /**
   * Parses {@code text} (surrounding white space ignored); a text without a port gets {@code
   * defaultPort}. A port is 1 to 5 decimal digits, at most 65535 (no sign).
   *
   * @param text {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port} or a bare IPv6
   *     literal
   * @param defaultPort the port when {@code text} names none
   * @return the host and port
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static HostPort parse(String text, int defaultPort) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in '" + text + "'");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("unexpected text after ']' in '" + text + "'");
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
        if (colon >= 0 && !looksLikeIpv6(host)) {
          throw new IllegalArgumentException(
              "'"
                  + text
                  + "' is neither host:port nor an IPv6 "
                  + "literal (write an IPv6 address with a port as [address]:port)");
        }
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("missing host in '" + text + "'");
    }
    return new HostPort(host, port == null ? defaultPort : parsePort(port, text));
  }

  /** Whether {@code host} is an IPv6 literal (RFC 4291 text form, optional {@code %zone}). */
  static boolean looksLikeIpv6(String host) {
    int percent = host.indexOf('%');
    String address = percent < 0 ? host : host.substring(0, percent);
    if (percent == 0 || percent == host.length() - 1) {
      return false;
    }
    int doubleColon = address.indexOf("::");
    if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
      return false; // "::" at most once
    }
    String[] groups = address.split(":", -1);
    int words = 0;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (g.isEmpty()) {
        continue; // part of "::" (checked above), or a leading/trailing one beside it
      }
      if (i == groups.length - 1 && g.indexOf('.') >= 0) {
        if (!isIpv4(g)) {
          return false;
        }
        words += 2;
      } else if (g.length() > 4 || !g.chars().allMatch(HostPort::isHex)) {
        return false;
      } else {
        words++;
      }
    }
    boolean emptyEdge =
        address.startsWith(":") && !address.startsWith("::")
            || address.endsWith(":") && !address.endsWith("::");
    return !emptyEdge && (doubleColon >= 0 ? words < 8 : words == 8);
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty()
          || p.length() > 3
          || !p.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static int parsePort(String port, String text) {
    boolean digits =
        !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits) {
      throw new IllegalArgumentException("invalid port '" + port + "' in '" + text + "'");
    }
    int value = Integer.parseInt(port);
    if (value > 65535) {
      throw new IllegalArgumentException("port out of range in '" + text + "'");
    }
    return value;
  }

  /**
   * {@return an unresolved socket address for this host and port} Resolvers look the name up later.
   */
  public InetSocketAddress toUnresolved() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** This host and port as text, {@code host:port}, bracketing an IPv6 host. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Formats {@code address} as {@code host:port} (its host string: the name when it has one, else
   * the literal), bracketing IPv6, as authorities and targets are written.
   *
   * @param address the address to format
   * @return {@code host:port}
   */
  public static String format(InetSocketAddress address) {
    return new HostPort(address.getHostString(), address.getPort()).toString();
  }
}
