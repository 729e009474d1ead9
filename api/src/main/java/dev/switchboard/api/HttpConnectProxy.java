package dev.switchboard.api;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * An HTTP proxy reached with {@code CONNECT} (gRFC A1): the channel connects to the proxy, asks it
 * with {@code CONNECT host:port} to open a tunnel to the target, then speaks gRPC (TLS included)
 * through the tunnel. The target's host name is sent to the proxy unresolved; the client does not
 * look it up. Immutable.
 *
 * <p>Chosen per channel with {@link DialOptions.Builder#proxy(HttpConnectProxy)}; by default a
 * channel takes its proxy from the environment ({@code grpc_proxy}, {@code https_proxy}, {@code
 * no_proxy}), see {@link DialOptions#proxyFromEnvironment()}. Optional credentials are sent as
 * {@code Proxy-Authorization: Basic} (RFC 7617): in clear text to the proxy, so use them only on a
 * network you trust. The password never appears in {@link #toString()} nor in error messages.
 *
 * @since 0.3
 */
public final class HttpConnectProxy {
  /** The port of a proxy URL that names none, as for any {@code http} URL: {@value}. */
  public static final int DEFAULT_PORT = 80;

  private final InetSocketAddress address;
  private final String username; // null: no credentials
  private final String password; // null exactly when username is

  private HttpConnectProxy(InetSocketAddress address, String username, String password) {
    this.address = address;
    this.username = username;
    this.password = password;
  }

  /**
   * {@return a proxy at {@code host:port}, without credentials} The host is not looked up now: the
   * channel looks it up (off its serializer) when it connects.
   *
   * @param host the proxy's host name or IP literal, not empty
   * @param port 1..65535
   * @throws IllegalArgumentException when {@code host} is empty or {@code port} out of range
   */
  public static HttpConnectProxy of(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty proxy host");
    }
    checkPort(port);
    return new HttpConnectProxy(InetSocketAddress.createUnresolved(host, port), null, null);
  }

  /**
   * {@return a proxy at {@code address} (resolved or not), without credentials}
   *
   * @param address the proxy's address, port 1..65535
   * @throws IllegalArgumentException when the port is 0
   */
  public static HttpConnectProxy of(InetSocketAddress address) {
    Objects.requireNonNull(address, "address");
    checkPort(address.getPort());
    return new HttpConnectProxy(address, null, null);
  }

  /**
   * Parses a proxy URL as found in {@code https_proxy}: {@code http://host:port}, {@code
   * http://user:password@host:port} (user and password percent-decoded), {@code [v6]} hosts, or
   * {@code host:port} without a scheme. The port defaults to {@value #DEFAULT_PORT}; a path other
   * than {@code /}, a query or a fragment are refused, and so are schemes other than {@code http}
   * (a TLS connection to the proxy itself, {@code https://}, and SOCKS are not supported).
   *
   * @param url the URL, surrounding white space ignored
   * @return the proxy, with credentials when the URL has user information
   * @throws IllegalArgumentException naming what is wrong; the message never contains the password
   */
  public static HttpConnectProxy parse(String url) {
    Objects.requireNonNull(url, "url");
    String text = url.trim();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty proxy URL");
    }
    String shown = redact(text);
    String withScheme = text.contains("://") ? text : "http://" + text;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "malformed proxy URL '" + shown + "': " + e.getReason()); // e's message shows the input
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(
          "proxy URL '"
              + shown
              + "': scheme '"
              + scheme
              + "' is not supported (only http://, an HTTP CONNECT proxy)");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("proxy URL '" + shown + "' has no (valid) host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "proxy URL '" + shown + "' has a path, query or fragment; expected http://host:port");
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("proxy URL '" + shown + "': port out of range");
    }
    HttpConnectProxy proxy = of(host, port);
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null) {
      return proxy;
    }
    int colon = userInfo.indexOf(':');
    try {
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      String pass = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      return proxy.withCredentials(user, pass);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "proxy URL '" + shown + "': malformed percent-encoding in the user information");
    }
  }

  /**
   * {@return this proxy with credentials for Basic authentication}
   *
   * @param username the user name, not null, without {@code ':'}
   * @param password the password, not null (may be empty)
   * @throws IllegalArgumentException when {@code username} contains {@code ':'}
   */
  public HttpConnectProxy withCredentials(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a Basic user name cannot contain ':'");
    }
    return new HttpConnectProxy(address, username, password);
  }

  /**
   * {@return this proxy at {@code resolved}, with the same credentials} Channels use it after
   * looking the proxy's host up.
   *
   * @param resolved the proxy's address, port 1..65535
   */
  public HttpConnectProxy withAddress(InetSocketAddress resolved) {
    Objects.requireNonNull(resolved, "resolved");
    checkPort(resolved.getPort());
    return new HttpConnectProxy(resolved, username, password);
  }

  /** {@return the proxy's address: unresolved as given, or resolved by the channel} */
  public InetSocketAddress address() {
    return address;
  }

  /** {@return the proxy's host name or IP literal, as given} */
  public String host() {
    return address.getHostString();
  }

  /** {@return the proxy's port} */
  public int port() {
    return address.getPort();
  }

  /** {@return whether Basic credentials are sent to the proxy} */
  public boolean hasCredentials() {
    return username != null;
  }

  /** {@return the Basic user name, or {@code null} without credentials} */
  public String username() {
    return username;
  }

  /**
   * {@return the Basic password, or {@code null} without credentials} A secret: transports send it
   * to the proxy and never log it.
   */
  public String password() {
    return password;
  }

  /** {@return {@code host:port} of the proxy, IPv6 literals in brackets, without credentials} */
  public String hostPort() {
    String host = host();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpConnectProxy p
        && address.equals(p.address)
        && Objects.equals(username, p.username)
        && Objects.equals(password, p.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, username, password);
  }

  /** {@return {@code http://user@host:port} or {@code http://host:port}: never the password} */
  @Override
  public String toString() {
    return "http://" + (username == null ? "" : username + "@") + hostPort();
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("proxy port out of range: " + port);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** {@code url} with its user information (before the last {@code '@'}) replaced. */
  static String redact(String url) {
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    int start = url.indexOf("://");
    start = start < 0 || start > at ? 0 : start + 3;
    return url.substring(0, start) + "<credentials>" + url.substring(at);
  }
}
