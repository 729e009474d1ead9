package dev.switchboard.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
  @ParameterizedTest
  @CsvSource({
    "localhost:50051, localhost, 50051",
    "10.0.0.1:80, 10.0.0.1, 80",
    "'[::1]:443', ::1, 443",
    "'[2001:db8::1]', 2001:db8::1, 443",
    "'::1', ::1, 443",
    "example.com, example.com, 443",
    "' host:0 ', host, 0",
  })
  void parses(String endpoint, String host, int port) {
    assertEquals(new HostPort(host, port), HostPort.parse(endpoint));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ":80",
        "host:x",
        "host:70000",
        "host:-1",
        "host:+1",
        "host:",
        "[::1",
        "[::1]x",
        "[]:1",
        "",
        "a:b:c",
        "host:123456"
      })
  void rejects(String endpoint) {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse(endpoint));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::",
        "::1",
        "2001:db8::1",
        "1:2:3:4:5:6:7:8",
        "::ffff:10.0.0.1",
        "fe80::1%eth0",
        "1::"
      })
  void recognizesIpv6Literals(String literal) {
    assertEquals(true, HostPort.looksLikeIpv6(literal));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a:b:c",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        ":1:2:3:4:5:6:7",
        "12345::1",
        "::1%",
        "%eth0",
        "::g",
        "::1.2.3",
        "::256.1.1.1",
        "1:2:3:4:5:6:7"
      })
  void refusesWhatIsNoIpv6Literal(String text) {
    assertEquals(false, HostPort.looksLikeIpv6(text));
  }

  @Test
  void usesTheCallersDefaultPort() {
    assertEquals(new HostPort("ns", 53), HostPort.parse("ns", 53));
    assertEquals(new HostPort("fe80::1%eth0", 53), HostPort.parse("fe80::1%eth0", 53));
  }

  @Test
  void formatsIpv6WithBrackets() {
    assertEquals("[0:0:0:0:0:0:0:1]:8080", HostPort.format(new InetSocketAddress("::1", 8080)));
    assertEquals("127.0.0.1:80", HostPort.format(new InetSocketAddress("127.0.0.1", 80)));
    assertEquals("name:1", HostPort.format(InetSocketAddress.createUnresolved("name", 1)));
    assertEquals("[::1]:443", HostPort.parse("::1").toString());
  }
}
