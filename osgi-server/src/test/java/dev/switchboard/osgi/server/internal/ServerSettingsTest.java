package dev.switchboard.osgi.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.osgi.server.WhiteboardConstants;
import dev.switchboard.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerSettingsTest {
  @TempDir Path dir;

  private static Map<String, Object> config(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    m.put("service.pid", "dev.switchboard.server~test");
    m.put("component.name", "dev.switchboard.server");
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  @Test
  void onlyThePortGivenMeansTheDefaults() {
    ServerSettings s = ServerSettings.parse(config("port", "50051"));
    ServerSettings.Listening l = s.listening();
    assertEquals("", l.host());
    assertEquals(50051, l.port());
    assertFalse(l.tls());
    assertEquals(WhiteboardConstants.DEFAULT_TARGET, s.target());
    assertEquals(Duration.ofSeconds(30), s.shutdownTimeout());
    ServerOptions o = l.toOptions();
    assertEquals(new InetSocketAddress(50051), o.addresses().get(0));
    assertTrue(o.credentials().isInsecure());
    assertNull(o.executor());
    assertEquals(ServerOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE, o.maxInboundMessageSize());
    assertEquals(ServerOptions.DEFAULT_MAX_INBOUND_METADATA_SIZE, o.maxInboundMetadataSize());
    assertEquals(
        ServerOptions.DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
        o.maxConcurrentCallsPerConnection());
    assertEquals(ServerOptions.DEFAULT_HANDSHAKE_TIMEOUT, o.handshakeTimeout());
    assertEquals(ServerKeepalive.DEFAULT, o.keepalive());
    assertEquals(ServerOptions.DEFAULT_PERMIT_KEEPALIVE_TIME, o.permitKeepAliveTime());
    assertFalse(o.permitKeepAliveWithoutCalls());
    assertEquals("netty", o.transportName());
  }

  @Test
  void stringsOfACfgFileAndTypedValuesReadTheSame() {
    Map<String, Object> strings =
        config(
            "host", " 127.0.0.1 ",
            "port", "0",
            "max.inbound.message.size", "1024",
            "max.inbound.metadata.size", "2048",
            "max.concurrent.calls.per.connection", "7",
            "handshake.timeout.seconds", "3",
            "keepalive.time.seconds", "0",
            "keepalive.timeout.seconds", "4",
            "max.connection.idle.seconds", "60",
            "max.connection.age.seconds", "120",
            "max.connection.age.grace.seconds", "0",
            "permit.keepalive.time.seconds", "10",
            "permit.keepalive.without.calls", "TRUE",
            "executor", "Direct",
            "whiteboard.target", "(app=orders)",
            "shutdown.timeout.seconds", "5");
    Map<String, Object> typed =
        config(
            "host", "127.0.0.1",
            "port", 0,
            "max.inbound.message.size", 1024L,
            "max.inbound.metadata.size", 2048,
            "max.concurrent.calls.per.connection", 7,
            "handshake.timeout.seconds", 3L,
            "keepalive.time.seconds", 0,
            "keepalive.timeout.seconds", 4,
            "max.connection.idle.seconds", 60,
            "max.connection.age.seconds", 120L,
            "max.connection.age.grace.seconds", 0,
            "permit.keepalive.time.seconds", 10,
            "permit.keepalive.without.calls", true,
            "executor", "direct",
            "whiteboard.target", "(app=orders)",
            "shutdown.timeout.seconds", 5);
    ServerSettings a = ServerSettings.parse(strings);
    assertEquals(a, ServerSettings.parse(typed));
    ServerOptions o = a.listening().toOptions();
    assertEquals(new InetSocketAddress("127.0.0.1", 0), o.addresses().get(0));
    assertEquals(1024, o.maxInboundMessageSize());
    assertEquals(2048, o.maxInboundMetadataSize());
    assertEquals(7, o.maxConcurrentCallsPerConnection());
    assertEquals(Duration.ofSeconds(3), o.handshakeTimeout());
    assertEquals(ServerKeepalive.INFINITE, o.keepalive().time());
    assertEquals(Duration.ofSeconds(4), o.keepalive().timeout());
    assertEquals(Duration.ofSeconds(60), o.keepalive().maxConnectionIdle());
    assertEquals(Duration.ofSeconds(120), o.keepalive().maxConnectionAge());
    assertEquals(Duration.ZERO, o.keepalive().maxConnectionAgeGrace());
    assertEquals(Duration.ofSeconds(10), o.permitKeepAliveTime());
    assertTrue(o.permitKeepAliveWithoutCalls());
    assertTrue(o.executor() != null, "direct executor");
    assertEquals("(app=orders)", a.target());
    assertEquals(Duration.ofSeconds(5), a.shutdownTimeout());
  }

  @Test
  void onlyWhatTheServerIsBuiltWithIsListening() {
    ServerSettings a = ServerSettings.parse(config("port", 1, "other", "x"));
    ServerSettings b =
        ServerSettings.parse(
            config(
                "port",
                "1",
                "whiteboard.target",
                "(a=b)",
                "shutdown.timeout.seconds",
                "1",
                "other",
                "y"));
    assertEquals(a.listening(), b.listening());
    assertNotEquals(a, b);
    assertNotEquals(
        a.listening(),
        ServerSettings.parse(config("port", 1, "max.inbound.message.size", 5)).listening());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "port|abc|port: 'abc' is not an integer",
        "port|70000|port: 70000 is out of range [0, 65535]",
        "port|-1|port: -1 is out of range [0, 65535]",
        "port|'  '|port: required",
        "port|1.5|port: '1.5' is not an integer",
        "max.inbound.message.size|-1|max.inbound.message.size: -1 is out of range",
        "max.inbound.metadata.size|0|max.inbound.metadata.size: 0 is out of range",
        "max.concurrent.calls.per.connection|0|max.concurrent.calls.per.connection: 0 is out",
        "max.inbound.message.size|99999999999|max.inbound.message.size: 99999999999 is out",
        "handshake.timeout.seconds|0|handshake.timeout.seconds: 0 is out of range",
        "keepalive.timeout.seconds|0|keepalive.timeout.seconds: 0 is out of range",
        "max.connection.age.seconds|-5|max.connection.age.seconds: -5 is out of range",
        "permit.keepalive.without.calls|yes|permit.keepalive.without.calls: 'yes' is not true or",
        "executor|virtual|executor: 'virtual' is not one of default, direct",
        "tls.client.auth|SOMETIMES|tls.client.auth: 'SOMETIMES' is not one of",
        "whiteboard.target|(broken|whiteboard.target: '(broken' is not an LDAP filter",
        "shutdown.timeout.seconds|x|shutdown.timeout.seconds: 'x' is not an integer",
      })
  void badValueIsRefusedNamingPropertyAndValue(String key, String value, String message) {
    Map<String, Object> c = config("port", "50051");
    c.put(key, value);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServerSettings.parse(c));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void missingPortIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServerSettings.parse(config()));
    assertEquals("port: required (0 picks a free port)", e.getMessage());
  }

  @Test
  void arrayValueIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerSettings.parse(config("port", new String[] {"1", "2"})));
    assertEquals("port: an array is not a single value", e.getMessage());
  }

  @Test
  void tlsNeedsBothFilesAndTlsOnlySettingsNeedTls() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ServerSettings.parse(config("port", 1, "tls.certificate", "/a.pem")))
            .getMessage()
            .startsWith("tls.certificate and tls.key: set both"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ServerSettings.parse(config("port", 1, "tls.client.auth", "REQUIRE")))
            .getMessage()
            .contains("need TLS"));
  }

  @Test
  void missingTlsFileIsReportedWhenTheOptionsAreBuilt() {
    ServerSettings s =
        ServerSettings.parse(
            config(
                "port",
                1,
                "tls.certificate",
                dir.resolve("nope.pem").toString(),
                "tls.key",
                dir.resolve("nope.key").toString()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.listening().toOptions());
    assertTrue(e.getMessage().startsWith("tls.certificate/tls.key: "), e.getMessage());
    assertTrue(e.getMessage().contains("nope.pem"), e.getMessage());
  }

  @Test
  void tlsFromFilesWithClientCertificatesRequired() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca("test-ca");
    TestCertificates.Identity server = TestCertificates.server(ca);
    Path chain = Files.write(dir.resolve("server.pem"), server.chainPem());
    Path key =
        Files.write(dir.resolve("server.key"), server.encryptedPkcs8Pem("s3cret".toCharArray()));
    Path trust = Files.write(dir.resolve("ca.pem"), ca.pem());
    ServerSettings s =
        ServerSettings.parse(
            config(
                "port",
                0,
                "tls.certificate",
                chain.toString(),
                "tls.key",
                key.toString(),
                "tls.key.password",
                "s3cret",
                "tls.trust",
                trust.toString(),
                "tls.client.auth",
                "require"));
    assertFalse(s.toString().contains("s3cret"), s.toString());
    TlsCredentials tls =
        assertInstanceOf(TlsCredentials.class, s.listening().toOptions().credentials());
    assertEquals(TlsCredentials.ClientAuth.REQUIRE, tls.clientAuth());
    assertTrue(tls.identity().isWatching());
    assertEquals(server.cert(), tls.identity().current().certificateChain().get(0));
  }

  @Test
  void wrongKeyPasswordIsReported() throws Exception {
    TestCertificates.Identity server = TestCertificates.server(TestCertificates.ca("ca"));
    Path chain = Files.write(dir.resolve("server.pem"), server.chainPem());
    Path key =
        Files.write(dir.resolve("server.key"), server.encryptedPkcs8Pem("right-pw".toCharArray()));
    ServerSettings s =
        ServerSettings.parse(
            config(
                "port",
                0,
                "tls.certificate",
                chain.toString(),
                "tls.key",
                key.toString(),
                "tls.key.password",
                "guess-1234"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.listening().toOptions());
    assertTrue(e.getMessage().startsWith("tls.certificate/tls.key: "), e.getMessage());
    assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    assertFalse(e.getMessage().contains("guess-1234"), "no password in messages");
  }
}
