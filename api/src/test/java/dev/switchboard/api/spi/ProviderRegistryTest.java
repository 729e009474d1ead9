package dev.switchboard.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {
  record P(String name, int priority, boolean available) implements BalancerProvider {
    @Override
    public Balancer newBalancer(BalancerConn conn) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isAvailable() {
      return available;
    }
  }

  @Test
  void higherPriorityWinsThenEarlierRegistration() {
    BalancerRegistry r = new BalancerRegistry();
    P first = new P("x", 5, true);
    P second = new P("x", 5, true);
    P better = new P("x", 7, true);
    r.register(first);
    r.register(second);
    assertSame(first, r.lookup("x"));
    r.register(better);
    assertSame(better, r.lookup("x"));
    r.deregister(better);
    assertSame(first, r.lookup("x"));
    r.deregister(first);
    assertSame(second, r.lookup("x"));
  }

  @Test
  void rankingBeatsPriority() {
    BalancerRegistry r = new BalancerRegistry();
    P high = new P("x", 100, true);
    P ranked = new P("x", 1, true);
    r.register(high);
    r.register(ranked, 10, "test");
    assertSame(ranked, r.lookup("x"));
    assertEquals("test", r.lookupRegistration("x").origin());
  }

  @Test
  void unavailableAndThrowingProvidersAreIgnored() {
    BalancerRegistry r = new BalancerRegistry();
    r.register(new P("x", 5, false));
    assertNull(r.lookup("x"));
    r.register(
        new BalancerProvider() {
          @Override
          public String name() {
            throw new IllegalStateException("broken");
          }

          @Override
          public Balancer newBalancer(BalancerConn conn) {
            return null;
          }
        });
    assertTrue(r.providers().isEmpty());
  }

  @Test
  void listenersHearOnlyWinnerChanges() {
    BalancerRegistry r = new BalancerRegistry();
    List<Set<String>> events = new ArrayList<>();
    r.addListener(events::add);
    P a = new P("a", 5, true);
    r.register(a);
    r.register(new P("a", 1, true)); // loses: no event
    r.register(new P("b", 1, true));
    r.deregister(a);
    assertEquals(List.of(Set.of("a"), Set.of("b"), Set.of("a")), events);
    assertTrue(
        r.lookupRegistration("b").origin().startsWith("classpath")
            || r.lookupRegistration("b").origin().startsWith("module"));
  }

  @Test
  void compressorRegistryHasBuiltins() throws Exception {
    CompressorRegistry r = new CompressorRegistry();
    assertEquals("gzip,identity", r.acceptEncoding());
    Compressor gzip = r.compressor("gzip");
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = gzip.compress(bytes)) {
      out.write("hello hello hello".getBytes());
    }
    try (var in = gzip.decompress(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals("hello hello hello", new String(in.readAllBytes()));
    }
  }
}
