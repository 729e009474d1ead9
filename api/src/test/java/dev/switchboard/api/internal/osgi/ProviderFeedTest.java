package dev.switchboard.api.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The feed's side of a leaving provider service: the unregistration (DS unbind, {@link
 * ProviderFeed#remove}) takes the provider out of the registry at once, then waits, bounded, for
 * the last lease to close before it ungets the service and returns. The framework is faked (one
 * service reference, a context counting get and unget); the unbinding thread is a real one, since
 * it blocks, and the test thread plays the channel letting go.
 */
class ProviderFeedTest {
  private final BalancerRegistry registry = new BalancerRegistry();
  private final AtomicInteger gets = new AtomicInteger();
  private final AtomicInteger ungets = new AtomicInteger();
  private final Provider provider = new Provider();
  private final ServiceReference<BalancerProvider> ref = reference();
  private final BundleContext context = context();
  private final ExecutorService unbinder = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    unbinder.shutdownNow();
  }

  record Provider() implements BalancerProvider {
    @Override
    public String name() {
      return "fed";
    }

    @Override
    public Balancer newBalancer(BalancerConn conn) {
      throw new UnsupportedOperationException();
    }
  }

  private ProviderFeed<BalancerProvider> feed(Duration timeout) {
    return new ProviderFeed<>(context, registry, "balancer", timeout);
  }

  @Test
  void unregistrationWaitsForTheLastLeaseThenUngets() throws Exception {
    ProviderFeed<BalancerProvider> feed = feed(Duration.ofSeconds(30));
    feed.add(ref);
    assertSame(provider, registry.lookup("fed"));
    Lease<BalancerProvider> first = registry.acquire("fed");
    Lease<BalancerProvider> second = registry.acquire("fed");
    CountDownLatch left = new CountDownLatch(1);
    registry.addListener(names -> left.countDown());

    CompletableFuture<Boolean> unbind =
        CompletableFuture.supplyAsync(() -> feed.remove(ref), unbinder);
    assertTrue(left.await(10, TimeUnit.SECONDS), "deregistered before waiting");
    assertNull(registry.acquire("fed"), "no new use once the service is leaving");
    first.close();
    assertFalse(unbind.isDone(), "a lease is still open: the unbind must wait");
    assertEquals(0, ungets.get());

    second.close();
    assertTrue(unbind.get(10, TimeUnit.SECONDS), "released in time");
    assertEquals(1, gets.get());
    assertEquals(1, ungets.get());
  }

  @Test
  void anUnleasedProviderIsReleasedWithoutWaiting() {
    ProviderFeed<BalancerProvider> feed = feed(Duration.ofDays(1));
    feed.add(ref);
    assertTrue(feed.remove(ref));
    assertEquals(1, ungets.get());
    assertTrue(feed.remove(ref), "a second unbind finds nothing to wait for");
  }

  @Test
  void theWaitIsBounded() throws Exception {
    ProviderFeed<BalancerProvider> feed = feed(Duration.ofMillis(20));
    feed.add(ref);
    Lease<BalancerProvider> held = registry.acquire("fed");
    assertFalse(feed.remove(ref), "timed out: the unregistration goes on");
    assertEquals(1, ungets.get(), "given back anyway: the service is being unregistered");
    held.close();
    assertEquals(1, ungets.get(), "the late close ungets nothing more");
  }

  @Test
  void leasesStillOpenHalfwayAreRevoked() throws Exception {
    ProviderFeed<BalancerProvider> feed = feed(Duration.ofSeconds(2));
    feed.add(ref);
    Lease<BalancerProvider> stubborn = registry.acquire("fed");
    Lease<BalancerProvider> obliging = registry.acquire("fed");
    CountDownLatch asked = new CountDownLatch(1);
    obliging.onRevoked(asked::countDown); // hands the work to its own thread, as a channel does

    CompletableFuture<Boolean> unbind =
        CompletableFuture.supplyAsync(() -> feed.remove(ref), unbinder);
    assertTrue(asked.await(10, TimeUnit.SECONDS), "revoked before the timeout");
    assertFalse(unbind.isDone(), "waits for the revoked holder to let go");
    obliging.close();
    stubborn.close();
    assertTrue(unbind.get(10, TimeUnit.SECONDS), "released in time");
    assertEquals(1, ungets.get());
  }

  @Test
  void zeroTimeoutDoesNotWait() {
    ProviderFeed<BalancerProvider> feed = feed(Duration.ZERO);
    feed.add(ref);
    Lease<BalancerProvider> held = registry.acquire("fed");
    held.onRevoked(() -> fail("zero does not wait and does not revoke"));
    assertFalse(feed.remove(ref));
    assertEquals(1, ungets.get());
    held.close();
    assertEquals(1, ungets.get());
  }

  @Test
  void removeAllDeregistersEverythingBeforeWaiting() throws Exception {
    ProviderFeed<BalancerProvider> feed = feed(Duration.ofSeconds(30));
    feed.add(ref);
    Lease<BalancerProvider> held = registry.acquire("fed");
    CountDownLatch left = new CountDownLatch(1);
    registry.addListener(names -> left.countDown());
    CompletableFuture<Void> all = CompletableFuture.runAsync(feed::removeAll, unbinder);
    assertTrue(left.await(10, TimeUnit.SECONDS));
    assertFalse(all.isDone(), "waits for the lease");
    held.close();
    all.get(10, TimeUnit.SECONDS);
    assertEquals(1, ungets.get());
  }

  @Test
  void aRefusedProviderIsGivenBackAtOnce() {
    registry.register(provider); // the same object: the registry refuses it a second time
    ProviderFeed<BalancerProvider> feed = feed(Duration.ofSeconds(30));
    feed.add(ref);
    assertEquals(1, gets.get());
    assertEquals(1, ungets.get(), "refused: not ours to keep");
    assertTrue(feed.remove(ref), "nothing fed, nothing to wait for");
    assertEquals(1, ungets.get());
  }

  @Test
  void releaseTimeoutSetting() {
    assertEquals(Duration.ofMillis(5000), RegistryFeed.releaseTimeout(null));
    assertEquals(Duration.ofMillis(250), RegistryFeed.releaseTimeout(" 250 "));
    assertEquals(Duration.ZERO, RegistryFeed.releaseTimeout("0"));
    for (String bad : List.of("-1", "5s", "")) {
      assertEquals(Duration.ofMillis(5000), RegistryFeed.releaseTimeout(bad), bad);
    }
  }

  @SuppressWarnings("unchecked")
  private static ServiceReference<BalancerProvider> reference() {
    return (ServiceReference<BalancerProvider>)
        Proxy.newProxyInstance(
            ProviderFeedTest.class.getClassLoader(),
            new Class<?>[] {ServiceReference.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getProperty" ->
                      Constants.SERVICE_ID.equals(args[0]) ? Long.valueOf(7) : null;
                  case "getBundle" -> null;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "ref 7";
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private BundleContext context() {
    return (BundleContext)
        Proxy.newProxyInstance(
            ProviderFeedTest.class.getClassLoader(),
            new Class<?>[] {BundleContext.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getService" -> {
                    gets.incrementAndGet();
                    yield provider;
                  }
                  case "ungetService" -> {
                    ungets.incrementAndGet();
                    yield true;
                  }
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "fake context";
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
