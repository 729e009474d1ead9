package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HttpConnectProxyTest {
  @Test
  void parsesUrlsWithAndWithoutScheme() {
    HttpConnectProxy p = HttpConnectProxy.parse(" http://proxy.corp:3128/ ");
    assertEquals("proxy.corp", p.host());
    assertEquals(3128, p.port());
    assertTrue(p.address().isUnresolved(), "not looked up when parsed");
    assertFalse(p.hasCredentials());
    assertEquals(p, HttpConnectProxy.parse("proxy.corp:3128"));
    assertEquals(80, HttpConnectProxy.parse("HTTP://proxy.corp").port());
    HttpConnectProxy v6 = HttpConnectProxy.parse("http://[::1]:8080");
    assertEquals("::1", v6.host());
    assertEquals("[::1]:8080", v6.hostPort());
  }

  @Test
  void userInformationBecomesDecodedCredentials() {
    HttpConnectProxy p = HttpConnectProxy.parse("http://al%40ice:p%3Ass+w@proxy:3128");
    assertEquals("al@ice", p.username());
    assertEquals("p:ss+w", p.password());
    assertEquals("", HttpConnectProxy.parse("http://bob@proxy:1").password());
  }

  @Test
  void thePasswordIsNeverShown() {
    HttpConnectProxy p = HttpConnectProxy.of("proxy", 3128).withCredentials("bob", "hunter2");
    assertEquals("http://bob@proxy:3128", p.toString());
    for (String bad :
        new String[] {
          "socks5://bob:hunter2@proxy:1080",
          "https://bob:hunter2@proxy:443",
          "http://bob:hunter2@proxy:99999",
          "http://bob:hunter2@proxy:3128/path",
          "http://bob:hunter2@proxy:3128?q",
          "http://bob:hun@ter2@pro xy:3128",
          "http://bob:hunter2%zz@proxy:3128",
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> HttpConnectProxy.parse(bad), bad);
      assertFalse(
          e.getMessage().contains("hunter2") || e.getMessage().contains("ter2"), e.getMessage());
      assertNull(e.getCause(), "a cause could carry the input");
      assertTrue(e.getMessage().contains("<credentials>@"), e.getMessage());
    }
  }

  @Test
  void malformedValuesAreRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> HttpConnectProxy.parse(""));
    assertThrows(IllegalArgumentException.class, () -> HttpConnectProxy.parse("http://"));
    assertThrows(IllegalArgumentException.class, () -> HttpConnectProxy.parse("http://:3128"));
    assertThrows(IllegalArgumentException.class, () -> HttpConnectProxy.parse("proxy:0"));
    IllegalArgumentException socks =
        assertThrows(IllegalArgumentException.class, () -> HttpConnectProxy.parse("socks5://p:1"));
    assertTrue(socks.getMessage().contains("'socks5' is not supported"), socks.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HttpConnectProxy.of("", 1));
    assertThrows(IllegalArgumentException.class, () -> HttpConnectProxy.of("p", 65536));
    assertThrows(
        IllegalArgumentException.class,
        () -> HttpConnectProxy.of("p", 1).withCredentials("a:b", "c"));
  }

  @Test
  void withAddressKeepsTheCredentials() {
    HttpConnectProxy p = HttpConnectProxy.of("proxy", 3128).withCredentials("bob", "pw");
    HttpConnectProxy resolved = p.withAddress(new InetSocketAddress("127.0.0.1", 3128));
    assertFalse(resolved.address().isUnresolved());
    assertEquals("pw", resolved.password());
  }

  @Test
  void dialOptionsChooseTheEnvironmentByDefault() {
    DialOptions defaults = DialOptions.newBuilder().insecure().build();
    assertTrue(defaults.proxyFromEnvironment());
    assertNull(defaults.proxy());
    HttpConnectProxy p = HttpConnectProxy.of("proxy", 3128);
    DialOptions explicit = DialOptions.newBuilder().insecure().proxy(p).build();
    assertEquals(p, explicit.proxy());
    assertFalse(explicit.proxyFromEnvironment());
    assertEquals(p, explicit.toBuilder().build().proxy());
    DialOptions none = explicit.toBuilder().noProxy().build();
    assertNull(none.proxy());
    assertFalse(none.proxyFromEnvironment());
  }
}
