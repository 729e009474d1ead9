package dev.switchboard.balancer.pickfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PickFirstBalancerProviderTest {
  @Test
  void describesItself() {
    PickFirstBalancerProvider provider = new PickFirstBalancerProvider();
    assertEquals("pick_first", provider.name());
    assertTrue(provider.isAvailable());
    assertEquals(5, provider.priority());
  }

  @Test
  void serviceLoaderFindsItOnTheClassPath() {
    boolean found =
        ServiceLoader.load(BalancerProvider.class).stream()
            .anyMatch(p -> p.type() == PickFirstBalancerProvider.class);
    assertTrue(found);
  }

  @Test
  void defaultRegistryServesItByName() {
    assertInstanceOf(
        PickFirstBalancerProvider.class,
        BalancerRegistry.getDefaultRegistry().lookup("pick_first"));
  }
}
