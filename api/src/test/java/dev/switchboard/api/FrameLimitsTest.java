package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.transport.ServerTransportOptions;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameLimitsTest {
  @Test
  void defaultsAreNettys() {
    assertEquals(new FrameLimits(10_000, 2, 16), FrameLimits.DEFAULT);
    assertEquals(FrameLimits.DEFAULT, DialOptions.newBuilder().insecure().build().frameLimits());
    assertEquals(
        FrameLimits.DEFAULT,
        ServerOptions.newBuilder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .credentials(TransportCredentials.insecure())
            .build()
            .frameLimits());
  }

  @Test
  void everyLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new FrameLimits(0, 2, 16));
    assertThrows(IllegalArgumentException.class, () -> new FrameLimits(1, 0, 16));
    assertThrows(IllegalArgumentException.class, () -> new FrameLimits(1, 2, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameLimits.DEFAULT.withMaxSmallContinuationFrames(-1));
  }

  @Test
  void withersChangeOneLimit() {
    FrameLimits l =
        FrameLimits.DEFAULT
            .withMaxQueuedControlFrames(5)
            .withMaxConsecutiveEmptyDataFrames(6)
            .withMaxSmallContinuationFrames(7);
    assertEquals(new FrameLimits(5, 6, 7), l);
  }

  @Test
  void builtOptionsCarryTheLimits() {
    FrameLimits l = new FrameLimits(100, 3, 20);
    assertEquals(l, DialOptions.newBuilder().insecure().frameLimits(l).build().frameLimits());
    assertEquals(
        l,
        DialOptions.newBuilder().insecure().frameLimits(l).build().toBuilder()
            .build()
            .frameLimits());
    ServerOptions server =
        ServerOptions.newBuilder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .credentials(TransportCredentials.insecure())
            .frameLimits(l)
            .maxQueuedControlFrames(55)
            .build();
    assertEquals(new FrameLimits(55, 3, 20), server.frameLimits());
    assertEquals(55, server.maxQueuedControlFrames());
  }

  @Test
  void serverTransportOptionsKeepTheIntForm() {
    ServerTransportOptions o =
        new ServerTransportOptions(
            List.of(new InetSocketAddress("127.0.0.1", 0)),
            TransportCredentials.insecure(),
            1,
            1,
            1,
            java.time.Duration.ofSeconds(1),
            new dev.switchboard.api.spi.CompressorRegistry(),
            77,
            10,
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ZERO,
            false,
            ServerKeepalive.DEFAULT);
    assertEquals(77, o.maxQueuedControlFrames());
    assertEquals(FrameLimits.DEFAULT.withMaxQueuedControlFrames(77), o.frameLimits());
  }
}
