package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** ClientKeepalive and ServerKeepalive: defaults, validation, where they are set. */
class KeepaliveOptionsTest {
  @Test
  void clientDefaultsAreOff() {
    ClientKeepalive k = ClientKeepalive.DISABLED;
    assertFalse(k.isEnabled());
    assertEquals(ClientKeepalive.INFINITE, k.time());
    assertEquals(Duration.ofSeconds(20), k.timeout());
    assertFalse(k.permitWithoutCalls());
    assertEquals(
        k, DialOptions.newBuilder().insecure().build().keepalive(), "channels have no keepalive");
  }

  @Test
  void clientSettingsAreKeptAndValidated() {
    ClientKeepalive k =
        ClientKeepalive.newBuilder()
            .time(Duration.ofSeconds(30))
            .timeout(Duration.ofSeconds(5))
            .permitWithoutCalls(true)
            .build();
    assertTrue(k.isEnabled());
    assertEquals(Duration.ofSeconds(30), k.time());
    assertEquals(Duration.ofSeconds(5), k.timeout());
    assertTrue(k.permitWithoutCalls());
    assertEquals(k, k.toBuilder().build());
    assertEquals(k, DialOptions.newBuilder().insecure().keepalive(k).build().keepalive());
    assertEquals(
        Duration.ofSeconds(1),
        ClientKeepalive.ofTime(Duration.ofSeconds(1)).time(),
        "kept as set; the transport raises it to MIN_TIME");
    assertEquals(
        ClientKeepalive.INFINITE, ClientKeepalive.ofTime(ChronoUnit.FOREVER.getDuration()).time());
    ClientKeepalive.Builder b = ClientKeepalive.newBuilder();
    assertThrows(IllegalArgumentException.class, () -> b.time(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.time(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> b.time(null));
  }

  @Test
  void serverDefaults() {
    ServerKeepalive k = ServerKeepalive.DEFAULT;
    assertEquals(Duration.ofHours(2), k.time());
    assertEquals(Duration.ofSeconds(20), k.timeout());
    assertEquals(ServerKeepalive.INFINITE, k.maxConnectionIdle());
    assertEquals(ServerKeepalive.INFINITE, k.maxConnectionAge());
    assertEquals(ServerKeepalive.INFINITE, k.maxConnectionAgeGrace());
    assertEquals(
        k, ServerOptions.newBuilder().port(0).insecure().build().keepalive(), "default server");
  }

  @Test
  void serverSettingsAreKeptAndValidated() {
    ServerKeepalive k =
        ServerKeepalive.newBuilder()
            .time(Duration.ofMinutes(1))
            .timeout(Duration.ofSeconds(3))
            .maxConnectionIdle(Duration.ofMinutes(5))
            .maxConnectionAge(Duration.ofMinutes(30))
            .maxConnectionAgeGrace(Duration.ZERO)
            .build();
    assertEquals(Duration.ofMinutes(1), k.time());
    assertEquals(Duration.ofSeconds(3), k.timeout());
    assertEquals(Duration.ofMinutes(5), k.maxConnectionIdle());
    assertEquals(Duration.ofMinutes(30), k.maxConnectionAge());
    assertEquals(Duration.ZERO, k.maxConnectionAgeGrace());
    assertEquals(k, k.toBuilder().build());
    assertEquals(k, ServerOptions.newBuilder().port(0).insecure().keepalive(k).build().keepalive());
    ServerKeepalive.Builder b = ServerKeepalive.newBuilder();
    Duration negative = Duration.ofSeconds(-1);
    assertThrows(IllegalArgumentException.class, () -> b.time(negative));
    assertThrows(IllegalArgumentException.class, () -> b.timeout(negative));
    assertThrows(IllegalArgumentException.class, () -> b.maxConnectionIdle(negative));
    assertThrows(IllegalArgumentException.class, () -> b.maxConnectionAge(negative));
    assertThrows(IllegalArgumentException.class, () -> b.maxConnectionAgeGrace(negative));
    assertThrows(IllegalArgumentException.class, () -> b.maxConnectionAge(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> b.maxConnectionAgeGrace(null));
  }
}
