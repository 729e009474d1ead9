package dev.switchboard.clientconn.internal;

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
  @ValueSource(strings = {":80", "host:x", "host:70000", "host:-1", "[::1", "[::1]x", "[]:1", ""})
  void rejects(String endpoint) {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse(endpoint));
  }

  @Test
  void formatsIpv6WithBrackets() {
    assertEquals("[0:0:0:0:0:0:0:1]:8080", HostPort.format(new InetSocketAddress("::1", 8080)));
    assertEquals("127.0.0.1:80", HostPort.format(new InetSocketAddress("127.0.0.1", 80)));
    assertEquals("name:1", HostPort.format(InetSocketAddress.createUnresolved("name", 1)));
  }
}
