package dev.switchboard.resolver.dns;

import dev.switchboard.api.spi.Target;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a {@code dns} target asks for: the host to look up (or an IP literal that needs no lookup),
 * the port to pair with each answer, and the name server to ask ({@code null}: the system's).
 *
 * <p>Endpoint syntax: {@code host}, {@code host:port}, {@code 1.2.3.4:port}, {@code [v6]:port},
 * {@code [v6]} or a bare IPv6 literal; the port defaults to {@value #DEFAULT_PORT}. The authority,
 * when present, is a name server IP literal with an optional port (default {@value
 * #DEFAULT_NAME_SERVER_PORT}); a name server given by name is not supported.
 *
 * @param host the host name or IP literal, without brackets
 * @param port 0..65535
 * @param literal the address when {@code host} is an IP literal, else {@code null}
 * @param nameServer the name server from the authority, or {@code null} for the system's
 */
record DnsTarget(String host, int port, InetAddress literal, InetSocketAddress nameServer) {
  /** Port used when the endpoint names none, as grpc-go's resolvers do. */
  static final int DEFAULT_PORT = 443;

  static final int DEFAULT_NAME_SERVER_PORT = 53;

  DnsTarget {
    Objects.requireNonNull(host, "host");
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the endpoint or authority
   */
  static DnsTarget parse(Target target) {
    HostPort endpoint = HostPort.parse(target.endpoint(), DEFAULT_PORT, "endpoint");
    InetSocketAddress nameServer = null;
    if (!target.authority().isEmpty()) {
      HostPort server = HostPort.parse(target.authority(), DEFAULT_NAME_SERVER_PORT, "authority");
      InetAddress serverAddress = ipLiteral(server.host);
      if (serverAddress == null) {
        throw new IllegalArgumentException("name server '" + target.authority()
            + "' must be an IP address (a name server given by name is not supported)");
      }
      nameServer = new InetSocketAddress(serverAddress, server.port);
    }
    return new DnsTarget(endpoint.host, endpoint.port, ipLiteral(endpoint.host), nameServer);
  }

  /** The address an IP literal stands for, without any lookup; {@code null} for a name. */
  static InetAddress ipLiteral(String host) {
    if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
      return null;
    }
    return NetUtil.createInetAddressFromIpAddressString(host);
  }

  /** A {@code host[:port]} split; the port is checked, the host only for being non-empty. */
  private record HostPort(String host, int port) {
    static HostPort parse(String text, int defaultPort, String what) {
      String s = text.trim();
      String host;
      String port = null;
      if (s.startsWith("[")) {
        int close = s.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("missing ']' in " + what + " '" + text + "'");
        }
        host = s.substring(1, close);
        String rest = s.substring(close + 1);
        if (!rest.isEmpty()) {
          if (!rest.startsWith(":")) {
            throw new IllegalArgumentException(
                "unexpected text after ']' in " + what + " '" + text + "'");
          }
          port = rest.substring(1);
        }
      } else {
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(':') == colon) {
          host = s.substring(0, colon);
          port = s.substring(colon + 1);
        } else {
          host = s; // no colon, or several: a bare IPv6 literal (checked below)
          if (colon >= 0 && !NetUtil.isValidIpV6Address(host)) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "'");
          }
        }
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("missing host in " + what + " '" + text + "'");
      }
      return new HostPort(host, port == null ? defaultPort : parsePort(port, text, what));
    }

    private static int parsePort(String port, String text, String what) {
      boolean digits = !port.isEmpty() && port.chars().allMatch(c -> c >= '0' && c <= '9');
      if (!digits || port.length() > 5) {
        throw new IllegalArgumentException(
            "invalid port '" + port + "' in " + what + " '" + text + "'");
      }
      int value = Integer.parseInt(port);
      if (value > 65535) {
        throw new IllegalArgumentException("port out of range in " + what + " '" + text + "'");
      }
      return value;
    }
  }
}
