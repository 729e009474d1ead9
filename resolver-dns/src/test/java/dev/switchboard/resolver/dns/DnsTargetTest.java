package dev.switchboard.resolver.dns;

import static dev.switchboard.resolver.dns.DnsResolverTest.parseTarget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsTargetTest {
  @ParameterizedTest
  @CsvSource({
    "dns:///svc.test,            svc.test,  443",
    "dns:///svc.test:8080,       svc.test,  8080",
    "dns:///svc.test:0,          svc.test,  0",
    "dns:///10.0.0.1:9,          10.0.0.1,  9",
    "dns:///[fd00::1]:9,         fd00::1,   9",
    "dns:///[fd00::1],           fd00::1,   443",
    "dns:///fd00::1,             fd00::1,   443",
    "dns:///  svc.test:1  ,      svc.test,  1",
  })
  void parsesTheEndpoint(String target, String host, int port) {
    DnsTarget parsed = DnsTarget.parse(parseTarget(target));

    assertEquals(host, parsed.host());
    assertEquals(port, parsed.port());
    assertNull(parsed.nameServer());
  }

  @Test
  void recognizesIpLiteralsOnly() {
    assertNull(DnsTarget.parse(parseTarget("dns:///svc.test")).literal());
    assertNull(DnsTarget.parse(parseTarget("dns:///10.0.0.1.example")).literal());
    assertEquals(
        "10.0.0.1", DnsTarget.parse(parseTarget("dns:///10.0.0.1")).literal().getHostAddress());
    assertTrue(DnsTarget.parse(parseTarget("dns:///[::1]")).literal().isLoopbackAddress());
  }

  @ParameterizedTest
  @CsvSource({
    "dns://8.8.8.8/svc.test,         8.8.8.8,  53",
    "dns://8.8.8.8:5353/svc.test,    8.8.8.8,  5353",
    "dns://[2001:db8::1]/svc.test,   2001:db8:0:0:0:0:0:1, 53",
    "dns://[2001:db8::1]:54/svc.test, 2001:db8:0:0:0:0:0:1, 54",
  })
  void parsesTheNameServerFromTheAuthority(String target, String ip, int port) {
    InetSocketAddress server = DnsTarget.parse(parseTarget(target)).nameServer();

    assertEquals(ip, server.getAddress().getHostAddress());
    assertEquals(port, server.getPort());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dns:///", "dns:///:443", "dns:///host:", "dns:///host:notaport", "dns:///host:65536",
        "dns:///host:-1", "dns:///host:+1", "dns:///[::1", "dns:///[::1]443", "dns:///[]:1",
        "dns:///a:b:c", "dns://ns.example/host", "dns://8.8.8.8:x/host", "dns://[::1/host",
      })
  void rejectsMalformedTargets(String target) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DnsTarget.parse(parseTarget(target)));
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
  }
}
