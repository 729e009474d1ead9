package dev.switchboard.osgi.channel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A channel configuration mapped to dial options; TLS files read and checked. */
class ChannelDialerTest {
  private final InterceptorChain chain = new InterceptorChain(List::of);

  @TempDir Path dir;

  private static ChannelSettings settings(Object... keyValues) {
    Map<String, Object> p = new HashMap<>();
    p.put("name", "orders");
    p.put("target", "127.0.0.1:50051");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put((String) keyValues[i], keyValues[i + 1]);
    }
    return ChannelSettings.parse(p);
  }

  private DialOptions options(Object... keyValues) {
    return ChannelDialer.dialOptions(settings(keyValues), chain);
  }

  private String error(Object... keyValues) {
    return assertThrows(IllegalArgumentException.class, () -> options(keyValues)).getMessage();
  }

  @Test
  void everySettingIsMapped() {
    String config = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";
    DialOptions o =
        options(
            "plaintext", "true",
            "authority", "orders.internal",
            "default.service.config", config,
            "max.send.message.size", "1000",
            "max.receive.message.size", "2000",
            "keepalive.time", "30s",
            "keepalive.timeout", "5s",
            "idle.timeout", "2m");
    assertTrue(o.credentials().isInsecure());
    assertEquals("orders.internal", o.authority());
    assertEquals(config, o.defaultServiceConfigJson());
    assertEquals(1000, o.maxSendMessageSize());
    assertEquals(2000, o.maxReceiveMessageSize());
    assertEquals(
        ClientKeepalive.newBuilder()
            .time(Duration.ofSeconds(30))
            .timeout(Duration.ofSeconds(5))
            .build(),
        o.keepalive());
    assertEquals(Duration.ofMinutes(2), o.idleTimeout());
    assertEquals(1, o.interceptors().size());
    assertSame(chain, o.interceptors().get(0));
  }

  @Test
  void unsetSettingsKeepTheDialOptionsDefaults() {
    DialOptions o = options("plaintext", "true");
    DialOptions defaults = DialOptions.newBuilder().insecure().build();
    assertNull(o.authority());
    assertNull(o.defaultServiceConfigJson());
    assertEquals(defaults.maxSendMessageSize(), o.maxSendMessageSize());
    assertEquals(defaults.maxReceiveMessageSize(), o.maxReceiveMessageSize());
    assertEquals(ClientKeepalive.DISABLED, o.keepalive());
    assertEquals(DialOptions.DEFAULT_IDLE_TIMEOUT, o.idleTimeout());
    assertNull(options("plaintext", "true", "idle.timeout", "never").idleTimeout());
    assertEquals(
        ClientKeepalive.DEFAULT_TIMEOUT,
        options("plaintext", "true", "keepalive.time", "1m").keepalive().timeout());
  }

  @Test
  void tlsByDefaultWithThePlatformsTrust() {
    TlsCredentials tls = (TlsCredentials) options().credentials();
    assertNull(tls.rootCertificates());
    assertFalse(tls.hasIdentity());
  }

  @Test
  void tlsFilesAreReadAndTheIdentityFollowed() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca("dialer CA");
    TestCertificates.Identity client = TestCertificates.client(ca, "dialer client");
    Path trust = Files.write(dir.resolve("ca.pem"), ca.pem());
    Path cert = Files.write(dir.resolve("client.pem"), client.chainPem());
    Path key = Files.write(dir.resolve("client.key"), client.encryptedPkcs8Pem("pw".toCharArray()));
    TlsCredentials tls =
        (TlsCredentials)
            options(
                    "tls.trust.file", trust.toString(),
                    "tls.cert.file", cert.toString(),
                    "tls.key.file", key.toString(),
                    "tls.key.password", "pw")
                .credentials();
    assertArrayEquals(ca.pem(), tls.rootCertificates());
    assertTrue(tls.identity().isWatching(), "the chain and key are followed on disk");
    assertEquals(client.cert(), tls.identity().current().certificateChain().get(0));
  }

  @Test
  void unusableTlsFilesAreRefusedNamingTheProperty() throws Exception {
    Path missing = dir.resolve("missing.pem");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not PEM", StandardCharsets.UTF_8);
    assertTrue(
        error("tls.trust.file", missing.toString()).startsWith("tls.trust.file cannot be read: "));
    assertTrue(
        error("tls.trust.file", garbage.toString()).startsWith("tls.trust.file holds no"),
        error("tls.trust.file", garbage.toString()));
    assertTrue(
        error("tls.cert.file", missing.toString(), "tls.key.file", missing.toString())
            .startsWith("tls.cert.file or its key cannot be read: "));
    assertTrue(
        error("tls.cert.file", garbage.toString(), "tls.key.file", garbage.toString())
            .startsWith("tls.cert.file and its key cannot be used: "));
  }

  @Test
  void dialCreatesAnIdleChannelToTheTarget() {
    ClientConn conn = ChannelDialer.dial(settings("plaintext", "true"), chain);
    try {
      assertEquals("127.0.0.1:50051", conn.target());
      assertEquals(ConnectivityState.IDLE, conn.getState(false));
    } finally {
      conn.shutdownNow();
    }
  }
}
