package dev.switchboard.clientconn.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The hosts a proxy from the environment does not apply to: the value of {@code no_proxy}, with
 * Go's {@code net/http} rules (grpc-go reads it through them). Entries are separated by commas
 * (white space around them ignored), case-insensitive, each with an optional {@code :port} ({@code
 * [v6]:port} for IPv6):
 *
 * <ul>
 *   <li>{@code *}: every host;
 *   <li>{@code example.com}: that host and its subdomains; {@code .example.com} or {@code
 *       *.example.com}: its subdomains only;
 *   <li>{@code 10.1.2.3}, {@code ::1}: that IP address (an IP target only, no lookups);
 *   <li>{@code 10.0.0.0/8}, {@code fd00::/8}: an IP target within the block.
 * </ul>
 *
 * A malformed entry is skipped and reported to the warning sink; parsing never fails. Looks no name
 * up. Immutable.
 */
final class NoProxyList {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+(%[\\w.-]+)?");
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");

  /** Longest value read; the rest is ignored (with a warning). */
  static final int MAX_LENGTH = 64 * 1024;

  /** No entries: no host bypasses the proxy. */
  static final NoProxyList EMPTY = new NoProxyList(false, List.of());

  private final boolean all;
  private final List<Rule> rules;

  private NoProxyList(boolean all, List<Rule> rules) {
    this.all = all;
    this.rules = rules;
  }

  /** One entry; {@code port} 0 matches any port. */
  private sealed interface Rule {
    boolean matches(String host, InetAddress ip, int port);
  }

  private record DomainRule(String name, boolean subdomainsOnly, int port) implements Rule {
    @Override
    public boolean matches(String host, InetAddress ip, int targetPort) {
      if (ip != null || (port != 0 && port != targetPort)) {
        return false;
      }
      return (!subdomainsOnly && host.equals(name)) || host.endsWith("." + name);
    }
  }

  private record BlockRule(byte[] network, int prefixBits, int port) implements Rule {
    @Override
    public boolean matches(String host, InetAddress ip, int targetPort) {
      if (ip == null || (port != 0 && port != targetPort)) {
        return false;
      }
      byte[] a = ip.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (a[full] & mask) == (network[full] & mask);
    }
  }

  /**
   * Parses a {@code no_proxy} value.
   *
   * @param value the variable's value, or {@code null}
   * @param warn told about each skipped entry, in words
   */
  static NoProxyList parse(String value, Consumer<String> warn) {
    if (value == null || value.isBlank()) {
      return EMPTY;
    }
    String text = value;
    if (text.length() > MAX_LENGTH) {
      warn.accept("no_proxy is longer than " + MAX_LENGTH + " characters; the rest is ignored");
      text = text.substring(0, MAX_LENGTH);
    }
    boolean all = false;
    List<Rule> rules = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String entry = part.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        all = true;
        continue;
      }
      try {
        rules.add(parseEntry(entry));
      } catch (IllegalArgumentException e) {
        warn.accept("no_proxy entry '" + entry + "' ignored: " + e.getMessage());
      }
    }
    return new NoProxyList(all, List.copyOf(rules));
  }

  private static Rule parseEntry(String entry) {
    int slash = entry.indexOf('/');
    if (slash >= 0) {
      InetAddress network = ipLiteral(entry.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("not an IP address before '/'");
      }
      int max = network.getAddress().length * 8;
      int bits = parseNumber(entry.substring(slash + 1), max, "prefix length");
      return new BlockRule(network.getAddress(), bits, 0);
    }
    String host = entry;
    int port = 0;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']'");
      }
      host = entry.substring(1, close);
      String rest = entry.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("unexpected text after ']'");
        }
        port = parseNumber(rest.substring(1), 65535, "port");
      }
    } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
      int colon = entry.indexOf(':');
      host = entry.substring(0, colon);
      port = parseNumber(entry.substring(colon + 1), 65535, "port");
    }
    InetAddress ip = ipLiteral(host);
    if (ip != null) {
      byte[] a = ip.getAddress();
      return new BlockRule(a, a.length * 8, port);
    }
    if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("not an IPv6 address (write [address]:port with a port)");
    }
    boolean subdomainsOnly = false;
    if (host.startsWith("*.")) {
      host = host.substring(1);
    }
    if (host.startsWith(".")) {
      subdomainsOnly = true;
      host = host.substring(1);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (!NAME.matcher(host).matches()) {
      throw new IllegalArgumentException("not a host name, IP address or CIDR block");
    }
    return new DomainRule(host, subdomainsOnly, port);
  }

  private static int parseNumber(String s, int max, String what) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("invalid " + what + " '" + s + "'");
    }
    int n = Integer.parseInt(s);
    if (n > max || (what.equals("port") && n == 0)) {
      throw new IllegalArgumentException(what + " out of range: " + s);
    }
    return n;
  }

  /**
   * {@return {@code host} as an IP address when it is an IPv4 or IPv6 literal, else {@code null}}
   * Never looks a name up: only texts that can be nothing but a literal reach {@link
   * InetAddress#getByName}, which then only parses them.
   */
  static InetAddress ipLiteral(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean v4 = IPV4.matcher(h).matches();
    boolean v6 = !v4 && h.indexOf(':') >= 0 && IPV6_CHARS.matcher(h).matches();
    if (!v4 && !v6) {
      return null;
    }
    if (v4) {
      for (String octet : h.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return null;
        }
      }
    }
    try {
      InetAddress a = InetAddress.getByName(h);
      return v4 == (a instanceof Inet4Address) || v6 ? a : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * {@return whether a connection to {@code host:port} goes directly, not through the proxy}
   *
   * @param host a host name or IP literal (IPv6 with or without brackets), any case
   */
  boolean matches(String host, int port) {
    if (all) {
      return true;
    }
    if (rules.isEmpty()) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    InetAddress ip = ipLiteral(h);
    for (Rule r : rules) {
      if (r.matches(h, ip, port)) {
        return true;
      }
    }
    return false;
  }

  /** {@return whether the list has no entry} */
  boolean isEmpty() {
    return !all && rules.isEmpty();
  }
}
