package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.DialOptions;
import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.HostPort;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySelectionTest {
  private static final DialOptions DEFAULTS = DialOptions.newBuilder().insecure().build();
  private static final HostPort TARGET = new HostPort("backend.example", 443);

  private static ProxySelection.Choice choose(DialOptions options, Map<String, String> env) {
    return ProxySelection.choose(options, TARGET, env::get);
  }

  @Test
  void variablesAreReadInOrder() {
    Map<String, String> env =
        Map.of(
            "GRPC_PROXY", "http://second:2",
            "https_proxy", "third:3",
            "HTTPS_PROXY", "fourth:4");
    ProxySelection.Choice c = choose(DEFAULTS, env);
    assertEquals(HttpConnectProxy.of("second", 2), c.proxy());
    assertEquals("HTTP CONNECT proxy http://second:2 from GRPC_PROXY", c.reason());
    assertEquals(
        HttpConnectProxy.of("first", 1),
        choose(DEFAULTS, Map.of("grpc_proxy", "first:1", "GRPC_PROXY", "second:2")).proxy());
    assertEquals(
        HttpConnectProxy.of("fourth", 4),
        choose(DEFAULTS, Map.of("grpc_proxy", " ", "HTTPS_PROXY", "fourth:4")).proxy(),
        "blank counts as unset");
    assertTrue(choose(DEFAULTS, Map.of()).direct());
  }

  @Test
  void noProxyAndLoopbackGoDirect() {
    Map<String, String> env = Map.of("https_proxy", "p:1", "no_proxy", "example");
    ProxySelection.Choice c = choose(DEFAULTS, env);
    assertTrue(c.direct());
    assertEquals("no proxy: no_proxy lists the host, despite https_proxy", c.reason());
    assertTrue(
        choose(DEFAULTS, Map.of("https_proxy", "p:1", "NO_PROXY", "backend.example")).direct());
    assertEquals(
        HttpConnectProxy.of("p", 1),
        choose(DEFAULTS, Map.of("https_proxy", "p:1", "no_proxy", "other.example")).proxy());
    for (String host :
        new String[] {"localhost", "LOCALHOST.", "a.localhost", "127.0.0.2", "::1"}) {
      assertTrue(
          ProxySelection.choose(DEFAULTS, new HostPort(host, 1), Map.of("grpc_proxy", "p:1")::get)
              .direct(),
          host);
    }
    assertFalse(ProxySelection.isLoopback("10.0.0.1"));
    assertFalse(ProxySelection.isLoopback("localhost.example"));
  }

  @Test
  void theDialOptionsWin() {
    HttpConnectProxy mine = HttpConnectProxy.of("mine", 9);
    Map<String, String> env = Map.of("grpc_proxy", "theirs:1", "no_proxy", "*");
    ProxySelection.Choice c = choose(DialOptions.newBuilder().insecure().proxy(mine).build(), env);
    assertEquals(mine, c.proxy(), "an explicit proxy applies to every host");
    assertEquals("HTTP CONNECT proxy http://mine:9 from the dial options", c.reason());
    assertTrue(
        ProxySelection.choose(
                DialOptions.newBuilder().insecure().proxy(mine).build(),
                new HostPort("localhost", 1),
                env::get)
            .proxy()
            .equals(mine));
    assertTrue(choose(DialOptions.newBuilder().insecure().noProxy().build(), env).direct());
  }

  @Test
  void aMalformedProxyVariableIsAnErrorWithoutThePassword() {
    ProxySelection.Choice c = choose(DEFAULTS, Map.of("https_proxy", "ftp://bob:hunter2@proxy:21"));
    assertNull(c.proxy());
    assertEquals(Status.Code.UNAVAILABLE, c.error().getCode());
    String d = c.error().getDescription();
    assertTrue(d.startsWith("environment variable https_proxy is not a usable proxy: "), d);
    assertTrue(d.contains("noProxy()"), d);
    assertTrue(!d.contains("hunter2"), d);
  }
}
