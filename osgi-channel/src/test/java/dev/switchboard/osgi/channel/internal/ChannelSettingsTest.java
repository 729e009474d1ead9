package dev.switchboard.osgi.channel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.osgi.channel.internal.ChannelSettings.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading and checking a channel configuration's properties, as .cfg strings and typed. */
class ChannelSettingsTest {
  private static Map<String, Object> base() {
    Map<String, Object> p = new HashMap<>();
    p.put("name", "orders");
    p.put("target", "dns:///orders.example:50051");
    p.put("service.pid", "dev.switchboard.channel~orders");
    p.put("service.factoryPid", "dev.switchboard.channel");
    return p;
  }

  private static Map<String, Object> with(Object... keyValues) {
    Map<String, Object> p = base();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put((String) keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  private static String error(Map<String, Object> properties) {
    return assertThrows(IllegalArgumentException.class, () -> ChannelSettings.parse(properties))
        .getMessage();
  }

  @Test
  void theMinimalConfigurationTakesTheDefaults() {
    ChannelSettings s = ChannelSettings.parse(base());
    assertEquals("orders", s.name());
    Connection c = s.connection();
    assertEquals("dns:///orders.example:50051", c.target());
    assertFalse(c.plaintext(), "TLS unless plaintext is chosen");
    assertNull(c.authority());
    assertNull(c.trustFile());
    assertNull(c.certFile());
    assertNull(c.maxSendMessageSize());
    assertNull(c.keepaliveTime());
    assertNull(c.idleTimeout());
    assertNull(s.defaultServiceConfig());
    assertNull(s.interceptorFilter());
    assertEquals(Duration.ofSeconds(1), s.retireDelay());
    assertEquals(List.of(), s.warnings());
  }

  @Test
  void cfgStringsAreRead() {
    ChannelSettings s =
        ChannelSettings.parse(
            with(
                "authority", "orders.internal",
                "plaintext", "TRUE",
                "default.service.config", " {\"loadBalancingConfig\":[{\"round_robin\":{}}]} ",
                "max.send.message.size", "1024",
                "max.receive.message.size", "2097152",
                "keepalive.time", "30s",
                "keepalive.timeout", "PT5S",
                "idle.timeout", "5m",
                "interceptor.filter", "(interceptor=auth)",
                "retire.delay", "250ms"));
    Connection c = s.connection();
    assertEquals("orders.internal", c.authority());
    assertTrue(c.plaintext());
    assertEquals(1024, c.maxSendMessageSize());
    assertEquals(2 * 1024 * 1024, c.maxReceiveMessageSize());
    assertEquals(Duration.ofSeconds(30), c.keepaliveTime());
    assertEquals(Duration.ofSeconds(5), c.keepaliveTimeout());
    assertEquals(Duration.ofMinutes(5), c.idleTimeout());
    assertEquals("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}", s.defaultServiceConfig());
    assertEquals("(interceptor=auth)", s.interceptorFilter());
    assertEquals(Duration.ofMillis(250), s.retireDelay());
  }

  @Test
  void typedValuesAreRead() {
    Connection c =
        ChannelSettings.parse(
                with("plaintext", true, "max.send.message.size", 10, "idle.timeout", "1h"))
            .connection();
    assertTrue(c.plaintext());
    assertEquals(10, c.maxSendMessageSize());
    assertEquals(Duration.ofHours(1), c.idleTimeout());
  }

  @Test
  void emptyStringsAsAConsoleWritesThemAreAbsent() {
    ChannelSettings s =
        ChannelSettings.parse(
            with(
                "authority", "",
                "tls.trust.file", " ",
                "max.send.message.size", "",
                "keepalive.time", "",
                "interceptor.filter", "",
                "default.service.config", ""));
    assertNull(s.connection().authority());
    assertNull(s.connection().trustFile());
    assertNull(s.connection().maxSendMessageSize());
    assertNull(s.connection().keepaliveTime());
    assertNull(s.interceptorFilter());
    assertNull(s.defaultServiceConfig());
  }

  @Test
  void idleTimeoutNeverDisablesIt() {
    assertEquals(
        Connection.NEVER,
        ChannelSettings.parse(with("idle.timeout", "never")).connection().idleTimeout());
    assertEquals(
        Connection.NEVER,
        ChannelSettings.parse(with("idle.timeout", "0")).connection().idleTimeout());
  }

  @Test
  void tlsFilesAndPasswordAreReadAndThePasswordIsNeverShown() {
    ChannelSettings s =
        ChannelSettings.parse(
            with(
                "tls.trust.file", "/etc/pki/ca.pem",
                "tls.cert.file", "/etc/pki/client.pem",
                "tls.key.file", "/etc/pki/client.key",
                "tls.key.password", "s3cret"));
    assertEquals(Path.of("/etc/pki/ca.pem"), s.connection().trustFile());
    assertEquals(Path.of("/etc/pki/client.pem"), s.connection().certFile());
    assertEquals(Path.of("/etc/pki/client.key"), s.connection().keyFile());
    assertEquals("s3cret", s.connection().keyPassword());
    assertFalse(s.toString().contains("s3cret"), s.toString());
    assertFalse(s.serviceProperties().containsKey("tls.key.password"));
    assertFalse(error(with("tls.key.password", 42, "tls.key.file", "k")).contains("42"));
  }

  @Test
  void servicePropertiesAreTheConfigurationsButPrivateAndFrameworkOnes() {
    Map<String, Object> p = with("team", "payments", ".secret", "x", "service.id", 7L);
    Map<String, Object> published = ChannelSettings.parse(p).serviceProperties();
    assertEquals("orders", published.get("name"));
    assertEquals("orders", published.get("switchboard.channel"), "the shell's label");
    assertEquals("payments", published.get("team"));
    assertEquals("dev.switchboard.channel~orders", published.get("service.pid"));
    assertFalse(published.containsKey(".secret"));
    assertFalse(published.containsKey("service.id"));
  }

  @Test
  void badConfigurationsNameTheProperty() {
    Map<String, Object> noName = base();
    noName.remove("name");
    assertEquals("name is required", error(noName));
    assertEquals("target is required", error(with("target", "  ")));
    assertEquals(
        "target must not contain whitespace or control characters: 'not a target'",
        error(with("target", "not a target")));
    assertTrue(
        error(with("default.service.config", "{\"loadBalancingConfig\": ["))
            .startsWith("default.service.config is not valid JSON: "));
    assertEquals(
        "default.service.config must be a JSON object",
        error(with("default.service.config", "[]")));
    assertTrue(
        error(with("interceptor.filter", "(interceptor=auth"))
            .startsWith("interceptor.filter is not a valid LDAP filter: "));
    assertEquals(
        "plaintext=true excludes the tls.* properties: choose plaintext or TLS",
        error(with("plaintext", "true", "tls.trust.file", "/ca.pem")));
    assertEquals(
        "tls.cert.file and tls.key.file go together: set both or neither",
        error(with("tls.cert.file", "/c.pem")));
    assertEquals("tls.key.password needs tls.key.file", error(with("tls.key.password", "x")));
    assertEquals("keepalive.timeout needs keepalive.time", error(with("keepalive.timeout", "5s")));
    assertEquals("plaintext must be true or false, not 'yes'", error(with("plaintext", "yes")));
    assertEquals(
        "max.send.message.size must be a number of bytes, not '4MiB'",
        error(with("max.send.message.size", "4MiB")));
    assertEquals(
        "max.receive.message.size must be a number of bytes from 0 to 2147483647, not '-1'",
        error(with("max.receive.message.size", -1)));
    assertEquals(
        "keepalive.time must be a positive duration such as 500ms, 30s, 5m or PT1H, not '30'",
        error(with("keepalive.time", "30")));
    assertEquals(
        "idle.timeout must be at least 1s (or never), not '500ms'",
        error(with("idle.timeout", "500ms")));
    assertEquals(
        "retire.delay must be a positive duration such as 500ms, 30s, 5m or PT1H, not '-1s'",
        error(with("retire.delay", "-1s")));
  }

  @Test
  void aTypoOfOurPropertiesIsWarnedAbout() {
    List<String> warnings =
        ChannelSettings.parse(with("tls.trustfile", "/ca.pem", "team", "x")).warnings();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("unknown property tls.trustfile ignored (known: name, "));
  }

  @Test
  void onlyConnectionChangesNeedANewChannel() {
    ChannelSettings s = ChannelSettings.parse(base());
    for (Map<String, Object> live :
        List.of(
            with("default.service.config", "{}"),
            with("interceptor.filter", "(a=b)"),
            with("retire.delay", "5s"),
            with("team", "payments"),
            with("name", "orders2"))) {
      assertFalse(s.needsNewChannel(ChannelSettings.parse(live)), live.toString());
    }
    for (Map<String, Object> recreate :
        List.of(
            with("target", "dns:///other:1"),
            with("authority", "a"),
            with("plaintext", "true"),
            with("tls.trust.file", "/ca.pem"),
            with("tls.cert.file", "/c.pem", "tls.key.file", "/c.key"),
            with("max.send.message.size", "1"),
            with("max.receive.message.size", "1"),
            with("keepalive.time", "1m"),
            with("idle.timeout", "never"))) {
      assertTrue(s.needsNewChannel(ChannelSettings.parse(recreate)), recreate.toString());
    }
  }
}
