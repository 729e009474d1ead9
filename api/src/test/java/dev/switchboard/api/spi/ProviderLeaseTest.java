package dev.switchboard.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.spi.ProviderRegistry.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Leases and the onReleased callback: the hook an OSGi feed uses to know when to unget. */
class ProviderLeaseTest {
  private final BalancerRegistry registry = new BalancerRegistry();
  private final AtomicInteger released = new AtomicInteger();

  private static ProviderRegistryTest.P provider(String name) {
    return new ProviderRegistryTest.P(name, 5, true);
  }

  @Test
  void unleasedProviderIsReleasedAtDeregistration() {
    ProviderRegistryTest.P p = provider("x");
    assertTrue(registry.register(p, 0, "bundle x 1.0.0", released::incrementAndGet));
    assertEquals(0, released.get());
    registry.deregister(p);
    assertEquals(1, released.get());
    registry.deregister(p);
    assertEquals(1, released.get());
  }

  @Test
  void leasedProviderIsReleasedWhenTheLastLeaseCloses() {
    ProviderRegistryTest.P p = provider("x");
    registry.register(p, 0, "bundle x 1.0.0", released::incrementAndGet);
    Lease<BalancerProvider> a = registry.acquire("x");
    Lease<BalancerProvider> b = registry.acquire(registry.lookupRegistration("x"));
    assertSame(p, a.provider());
    assertEquals("bundle x 1.0.0", b.registration().origin());
    a.close();
    registry.deregister(p);
    assertNull(registry.acquire("x"), "no new use after deregistration");
    assertEquals(0, released.get());
    b.close();
    b.close(); // idempotent
    assertEquals(1, released.get());
    assertTrue(b.isClosed());
  }

  @Test
  void leaseOfAStaleRegistrationFails() {
    ProviderRegistryTest.P p = provider("x");
    registry.register(p, 0, "o", null);
    ProviderRegistry.Registration<BalancerProvider> r = registry.lookupRegistration("x");
    registry.deregister(p);
    assertNull(registry.acquire(r));
    registry.register(p, 0, "o", null); // registered again: a new registration
    assertSame(p, registry.acquire(r).provider(), "same provider, registered again");
  }

  @Test
  void refusedProviderIsReleasedAtOnce() {
    ProviderRegistryTest.P p = provider("x");
    registry.register(p, 0, "o", null);
    assertFalse(registry.register(p, 0, "o", released::incrementAndGet), "already registered");
    assertEquals(1, released.get());
    assertFalse(
        registry.register(
            new ProviderRegistryTest.P("y", 5, false), 0, "o", released::incrementAndGet),
        "unavailable");
    assertEquals(2, released.get());
  }

  @Test
  void rankingUpdateKeepsLeasesAndCallback() {
    ProviderRegistryTest.P low = provider("x");
    ProviderRegistryTest.P high = provider("x");
    registry.register(low, 0, "low", released::incrementAndGet);
    registry.register(high, 5, "high", null);
    Lease<BalancerProvider> lease = registry.acquire(registry.registrations("x").get(1));
    List<java.util.Set<String>> events = new ArrayList<>();
    registry.addListener(events::add);
    assertTrue(registry.updateRanking(low, 10));
    assertSame(low, registry.lookup("x"));
    assertEquals(List.of(java.util.Set.of("x")), events);
    assertEquals(
        List.of("low", "high"), registry.registrations("x").stream().map(r -> r.origin()).toList());
    registry.deregister(low);
    assertEquals(0, released.get());
    lease.close();
    assertEquals(1, released.get());
    assertFalse(registry.updateRanking(low, 1));
  }

  @Test
  void throwingCallbackIsContained() {
    ProviderRegistryTest.P p = provider("x");
    registry.register(
        p,
        0,
        "o",
        () -> {
          throw new IllegalStateException("feed bug");
        });
    assertTrue(registry.deregister(p));
  }

  @Test
  void concurrentLeasesAndDeregistrationReleaseExactlyOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      BalancerRegistry r = new BalancerRegistry();
      ProviderRegistryTest.P p = provider("x");
      AtomicInteger count = new AtomicInteger();
      AtomicInteger usedAfterRelease = new AtomicInteger();
      r.register(p, 0, "o", count::incrementAndGet);
      CountDownLatch done = new CountDownLatch(4);
      for (int t = 0; t < 4; t++) {
        new Thread(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    Lease<BalancerProvider> lease = r.acquire("x");
                    if (lease != null) {
                      if (count.get() != 0) {
                        usedAfterRelease.incrementAndGet();
                      }
                      lease.close();
                    }
                  }
                  done.countDown();
                })
            .start();
      }
      r.deregister(p);
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(1, count.get());
      assertEquals(0, usedAfterRelease.get(), "no lease was held after the release");
    }
  }

  @Test
  void revokeRunsTheActionsOfOpenLeasesOnceAndOnlyAfterDeregistration() {
    ProviderRegistryTest.P p = provider("x");
    registry.register(p, 0, "o", released::incrementAndGet);
    Lease<BalancerProvider> withAction = registry.acquire("x");
    Lease<BalancerProvider> closedOne = registry.acquire("x");
    Lease<BalancerProvider> without = registry.acquire("x");
    AtomicInteger runs = new AtomicInteger();
    withAction.onRevoked(
        () -> {
          runs.incrementAndGet();
          withAction.close();
        });
    closedOne.onRevoked(runs::incrementAndGet);
    closedOne.close();
    assertEquals(0, registry.revoke(p), "still registered: nothing to revoke");
    assertFalse(withAction.isRevoked());

    registry.deregister(p);
    assertEquals(1, registry.revoke(p), "only the open lease with an action");
    assertEquals(1, runs.get());
    assertTrue(withAction.isClosed());
    assertTrue(without.isRevoked(), "marked, though it has no action");
    assertEquals(0, released.get(), "the lease without an action still holds");
    assertEquals(0, registry.revoke(p), "once");
    without.close();
    assertEquals(1, released.get());
    assertEquals(0, registry.revoke(p), "released: forgotten");
  }

  @Test
  void anActionSetAfterTheRevocationRunsAtOnce() {
    ProviderRegistryTest.P p = provider("x");
    registry.register(p, 0, "o", released::incrementAndGet);
    Lease<BalancerProvider> late = registry.acquire("x");
    registry.deregister(p);
    registry.revoke(p);
    AtomicInteger runs = new AtomicInteger();
    late.onRevoked(runs::incrementAndGet);
    assertEquals(1, runs.get());
    late.close();
    assertEquals(1, released.get());
  }

  @Test
  void oneActionPerLeaseAndAThrowingOneIsContained() {
    ProviderRegistryTest.P p = provider("x");
    registry.register(p, 0, "o", released::incrementAndGet);
    Lease<BalancerProvider> lease = registry.acquire("x");
    lease.onRevoked(
        () -> {
          throw new IllegalStateException("holder bug");
        });
    assertThrows(IllegalStateException.class, () -> lease.onRevoked(() -> {}));
    registry.deregister(p);
    assertEquals(1, registry.revoke(p));
    assertTrue(lease.isRevoked());
    lease.close();
    assertEquals(1, released.get());
  }

  @Test
  void revocationRacingWithLeasesAsksEachOpenOneOnceAndReleasesOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      BalancerRegistry r = new BalancerRegistry();
      ProviderRegistryTest.P p = provider("x");
      AtomicInteger releases = new AtomicInteger();
      AtomicInteger twice = new AtomicInteger();
      r.register(p, 0, "o", releases::incrementAndGet);
      CountDownLatch done = new CountDownLatch(4);
      for (int t = 0; t < 4; t++) {
        int thread = t;
        new Thread(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    Lease<BalancerProvider> lease = r.acquire("x");
                    if (lease == null) {
                      break;
                    }
                    AtomicInteger runs = new AtomicInteger();
                    lease.onRevoked(
                        () -> {
                          if (runs.incrementAndGet() > 1) {
                            twice.incrementAndGet();
                          }
                          lease.close();
                        });
                    if ((i + thread) % 2 == 0) {
                      lease.close(); // the others are left for the revocation to close
                    }
                  }
                  done.countDown();
                })
            .start();
      }
      r.deregister(p);
      r.revoke(p);
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(1, releases.get(), "every lease closed: by its holder or by its revocation");
      assertEquals(0, twice.get(), "no action ran twice");
    }
  }
}
