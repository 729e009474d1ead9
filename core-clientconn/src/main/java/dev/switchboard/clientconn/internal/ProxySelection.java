package dev.switchboard.clientconn.internal;

import dev.switchboard.api.DialOptions;
import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.HostPort;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Whether a channel's {@code host:port} target goes through an HTTP CONNECT proxy, and which:
 * decided once, when the channel is created (gRFC A1; grpc-go's {@code proxyattributes} and
 * delegating resolver). The dial options' proxy wins; {@link DialOptions.Builder#noProxy()} means
 * none; else the environment: the first non-empty of {@link #PROXY_VARIABLES}, unless the host is
 * {@code localhost}, a loopback address, or matched by the first non-empty of {@link
 * #NO_PROXY_VARIABLES} ({@link NoProxyList}), as Go's {@code net/http} does. Stateless.
 */
final class ProxySelection {
  private static final System.Logger LOG = System.getLogger(ProxySelection.class.getName());

  /** Where a proxy URL is read from, first non-empty first. */
  static final List<String> PROXY_VARIABLES =
      List.of("grpc_proxy", "GRPC_PROXY", "https_proxy", "HTTPS_PROXY");

  /** Where the hosts without proxy are read from, first non-empty first. */
  static final List<String> NO_PROXY_VARIABLES = List.of("no_proxy", "NO_PROXY");

  private ProxySelection() {}

  /**
   * What was decided.
   *
   * @param proxy the proxy to go through, or {@code null}
   * @param error why the channel cannot connect at all (a malformed proxy variable), or {@code
   *     null}
   * @param reason why, for the channel's wiring
   */
  record Choice(HttpConnectProxy proxy, Status error, String reason) {
    static final Choice DIRECT = new Choice(null, null, "no proxy");

    /** {@return whether the channel connects directly, as without proxies} */
    boolean direct() {
      return proxy == null && error == null;
    }
  }

  /**
   * Chooses for {@code target}.
   *
   * @param target the target's host and port
   * @param environment reads an environment variable, {@code null} when unset
   */
  static Choice choose(DialOptions options, HostPort target, Function<String, String> environment) {
    if (options.proxy() != null) {
      return new Choice(
          options.proxy(),
          null,
          "HTTP CONNECT proxy " + options.proxy() + " from the dial options");
    }
    if (!options.proxyFromEnvironment()) {
      return Choice.DIRECT;
    }
    String variable = firstSet(PROXY_VARIABLES, environment);
    if (variable == null) {
      return Choice.DIRECT;
    }
    HttpConnectProxy proxy;
    try {
      proxy = HttpConnectProxy.parse(environment.apply(variable));
    } catch (IllegalArgumentException e) {
      String message =
          "environment variable "
              + variable
              + " is not a usable proxy: "
              + e.getMessage()
              + " (fix it, or dial with DialOptions.Builder.noProxy() or proxy(...))";
      LOG.log(System.Logger.Level.WARNING, message);
      return new Choice(null, Status.UNAVAILABLE.withDescription(message), message);
    }
    if (isLoopback(target.host())) {
      return new Choice(null, null, "no proxy for a loopback host, despite " + variable);
    }
    String noProxyVariable = firstSet(NO_PROXY_VARIABLES, environment);
    if (noProxyVariable != null) {
      NoProxyList noProxy =
          NoProxyList.parse(
              environment.apply(noProxyVariable),
              warning -> LOG.log(System.Logger.Level.WARNING, warning));
      if (noProxy.matches(target.host(), target.port())) {
        return new Choice(
            null, null, "no proxy: " + noProxyVariable + " lists the host, despite " + variable);
      }
    }
    return new Choice(proxy, null, "HTTP CONNECT proxy " + proxy + " from " + variable);
  }

  private static String firstSet(List<String> names, Function<String, String> environment) {
    for (String name : names) {
      String value = environment.apply(name);
      if (value != null && !value.isBlank()) {
        return name;
      }
    }
    return null;
  }

  /** {@code localhost} (or a name under it) or a loopback IP literal; looks nothing up. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    var ip = NoProxyList.ipLiteral(h);
    return ip != null && ip.isLoopbackAddress();
  }
}
