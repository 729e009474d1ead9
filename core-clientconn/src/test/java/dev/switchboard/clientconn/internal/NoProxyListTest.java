package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoProxyListTest {
  private final List<String> warnings = new ArrayList<>();

  private NoProxyList parse(String value) {
    return NoProxyList.parse(value, warnings::add);
  }

  @Test
  void namesMatchThemselvesAndTheirSubdomains() {
    NoProxyList l = parse("example.com, .internal ,*.corp.net");
    assertTrue(l.matches("example.com", 443));
    assertTrue(l.matches("API.Example.COM.", 443));
    assertFalse(l.matches("notexample.com", 443));
    assertTrue(l.matches("a.internal", 1));
    assertFalse(l.matches("internal", 1), ".domain matches subdomains only");
    assertTrue(l.matches("x.corp.net", 1));
    assertFalse(l.matches("corp.net", 1));
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void portsNarrowAnEntry() {
    NoProxyList l = parse("example.com:8443,[::1]:50051,10.0.0.1:80");
    assertTrue(l.matches("example.com", 8443));
    assertFalse(l.matches("example.com", 443));
    assertTrue(l.matches("::1", 50051));
    assertTrue(l.matches("[::1]", 50051));
    assertFalse(l.matches("::1", 1));
    assertTrue(l.matches("10.0.0.1", 80));
    assertFalse(l.matches("10.0.0.1", 81));
  }

  @Test
  void ipAddressesAndBlocksMatchIpTargetsOnly() {
    NoProxyList l = parse("192.168.1.7, 10.0.0.0/8, fd00::/8, 2001:db8::1, 172.16.0.0/12");
    assertTrue(l.matches("192.168.1.7", 1));
    assertFalse(l.matches("192.168.1.8", 1));
    assertTrue(l.matches("10.255.0.1", 1));
    assertFalse(l.matches("11.0.0.1", 1));
    assertTrue(l.matches("fd12::5", 1));
    assertFalse(l.matches("fe80::1", 1));
    assertTrue(l.matches("2001:0db8:0:0::1", 1), "compared as addresses, not text");
    assertTrue(l.matches("172.31.255.255", 1));
    assertFalse(l.matches("172.32.0.0", 1));
    assertFalse(l.matches("10.example", 1), "a name is never looked up to match a block");
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void starMatchesEverything() {
    assertTrue(parse("foo, *").matches("anything.at.all", 1));
    assertTrue(parse("*").matches("10.0.0.1", 1));
  }

  @Test
  void emptyValuesMatchNothing() {
    assertTrue(parse(null).isEmpty());
    assertTrue(parse(" , ,").isEmpty());
    assertFalse(parse("").matches("example.com", 1));
  }

  @Test
  void malformedEntriesAreSkippedWithAWarning() {
    NoProxyList l =
        parse(
            "good.example, 10.0.0.0/33, 10.0.0.0/x, nothost/8, [::1, [::1]x, host:0, host:99999,"
                + " host:port, a b, ::1::2, under_score.ok");
    assertTrue(l.matches("good.example", 1));
    assertTrue(l.matches("under_score.ok", 1));
    assertEquals(10, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).startsWith("no_proxy entry '10.0.0.0/33' ignored: "), warnings.get(0));
  }

  @Test
  void aHugeValueIsCut() {
    String huge = "a.example," + "x".repeat(NoProxyList.MAX_LENGTH);
    NoProxyList l = parse(huge);
    assertTrue(l.matches("a.example", 1));
    assertTrue(warnings.get(0).contains("longer than"), warnings.toString());
  }
}
