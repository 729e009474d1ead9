package dev.switchboard.balancer.roundrobin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerProviderTest {
  @Test
  void describesItself() {
    RoundRobinBalancerProvider provider = new RoundRobinBalancerProvider();
    assertEquals("round_robin", provider.name());
    assertTrue(provider.isAvailable());
    assertEquals(Map.of(), provider.parseConfig(Map.of()).config());
  }

  @Test
  void serviceLoaderFindsItOnTheClassPath() {
    assertTrue(
        ServiceLoader.load(BalancerProvider.class).stream()
            .anyMatch(p -> p.type() == RoundRobinBalancerProvider.class));
  }

  @Test
  void defaultRegistryServesItByName() {
    assertInstanceOf(
        RoundRobinBalancerProvider.class,
        BalancerRegistry.getDefaultRegistry().lookup("round_robin"));
  }
}
