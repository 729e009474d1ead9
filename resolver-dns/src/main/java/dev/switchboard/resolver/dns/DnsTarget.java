package dev.switchboard.resolver.dns;

import dev.switchboard.api.spi.HostPort;
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
  static final int DEFAULT_PORT = HostPort.DEFAULT_PORT;

  static final int DEFAULT_NAME_SERVER_PORT = 53;

  DnsTarget {
    Objects.requireNonNull(host, "host");
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the endpoint or authority
   */
  static DnsTarget parse(Target target) {
    HostPort endpoint = parse(target.endpoint(), DEFAULT_PORT, "endpoint");
    InetSocketAddress nameServer = null;
    if (!target.authority().isEmpty()) {
      HostPort server = parse(target.authority(), DEFAULT_NAME_SERVER_PORT, "authority");
      InetAddress serverAddress = ipLiteral(server.host());
      if (serverAddress == null) {
        throw new IllegalArgumentException(
            "name server '"
                + target.authority()
                + "' must be an IP address (a name server given by name is not supported)");
      }
      nameServer = new InetSocketAddress(serverAddress, server.port());
    }
    return new DnsTarget(endpoint.host(), endpoint.port(), ipLiteral(endpoint.host()), nameServer);
  }

  /** {@link HostPort#parse}, saying which part of the target was wrong. */
  private static HostPort parse(String text, int defaultPort, String what) {
    try {
      return HostPort.parse(text, defaultPort);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid " + what + ": " + e.getMessage(), e);
    }
  }

  /** The address an IP literal stands for, without any lookup; {@code null} for a name. */
  static InetAddress ipLiteral(String host) {
    if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
      return null;
    }
    return NetUtil.createInetAddressFromIpAddressString(host);
  }
}
