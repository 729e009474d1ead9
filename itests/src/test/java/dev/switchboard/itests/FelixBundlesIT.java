package dev.switchboard.itests;

import static dev.switchboard.itests.InFramework.awaitRegistration;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.clientconn.ClientConns;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Every Switchboard bundle, Netty and protobuf resolve and go ACTIVE in Felix 7, and in Equinox,
 * with Felix SCR; each provider bundle publishes its provider as a Declarative Services component;
 * the api's registry feed puts them in the default registries with their bundle as origin and
 * {@code service.ranking} as ranking; and calls work through that wiring, with servers and channels
 * inside the framework. An unresolved bundle fails the run.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class FelixBundlesIT {
  private static final String ORIGINAL_VERSION = "0.1.0.SNAPSHOT";

  @Inject BundleContext ctx;

  @Configuration
  public Option[] config() {
    return FelixOptions.switchboard();
  }

  /** The itests pom runs this class in Felix and in Equinox: each run boots the one it names. */
  @Test
  public void theExpectedFrameworkRuns() {
    assertEquals(FelixOptions.systemBundleName(), ctx.getBundle(0).getSymbolicName());
  }

  @Test
  public void everyBundleIsActive() {
    List<String> notActive = new ArrayList<>();
    for (Bundle b : ctx.getBundles()) {
      if (b.getBundleId() != 0
          && b.getHeaders().get("Fragment-Host") == null
          && b.getState() != Bundle.ACTIVE) {
        notActive.add(b.getSymbolicName() + " state=" + b.getState());
      }
    }
    assertTrue("bundles not ACTIVE: " + notActive, notActive.isEmpty());
    for (String s : FelixOptions.SWITCHBOARD) {
      assertEquals(
          FelixOptions.bsn(s) + " ACTIVE", Bundle.ACTIVE, InFramework.bundle(ctx, s).getState());
    }
  }

  @Test
  public void providersArePublishedAsServices() throws Exception {
    assertService("dev.switchboard.api.spi.BalancerProvider", "(balancer.name=pick_first)");
    assertService("dev.switchboard.api.spi.BalancerProvider", "(balancer.name=round_robin)");
    assertService("dev.switchboard.api.spi.CodecProvider", "(codec.name=proto)");
    assertService("dev.switchboard.api.spi.ResolverProvider", "(resolver.scheme=dns)");
    assertService("dev.switchboard.api.transport.TransportProvider", "(transport.name=netty)");
  }

  @Test
  public void registriesAreFedWithTheirBundleAsOrigin() throws Exception {
    assertFed(BalancerRegistry.getDefaultRegistry(), "pick_first", "balancer-pickfirst");
    assertFed(BalancerRegistry.getDefaultRegistry(), "round_robin", "balancer-roundrobin");
    assertFed(ResolverRegistry.getDefaultRegistry(), "dns", "resolver-dns");
    assertFed(CodecRegistry.getDefaultRegistry(), "proto", "codec-proto");
    assertFed(TransportRegistry.getDefaultRegistry(), "netty", "transport-netty");
  }

  @Test
  public void serviceRankingThenPriorityThenFirstComeDecides() throws Exception {
    BalancerRegistry registry = BalancerRegistry.getDefaultRegistry();
    String probe = "bundle " + ctx.getBundle().getSymbolicName() + " ";
    BalancerProvider first = new FakeBalancerProvider("ranking_test", 5);
    BalancerProvider second = new FakeBalancerProvider("ranking_test", 5);
    BalancerProvider higherPriority = new FakeBalancerProvider("ranking_test", 9);
    BalancerProvider higherRanking = new FakeBalancerProvider("ranking_test", 0);
    List<ServiceRegistration<?>> registrations = new ArrayList<>();
    try {
      // SCR binds dynamic references while the service event is delivered, so each register()
      // below is in the registry when it returns; awaits cover the listener-driven checks.
      ServiceRegistration<?> firstReg = register(first, 0);
      registrations.add(firstReg);
      awaitRegistration(
          registry, "ranking_test", r -> r != null && r.provider() == first, "the first provider");
      assertTrue(registry.lookupRegistration("ranking_test").origin().startsWith(probe));

      // Same ranking and priority: the one registered first keeps winning.
      registrations.add(register(second, 0));
      assertSame(first, registry.lookup("ranking_test"));

      // Higher priority wins at equal ranking.
      ServiceRegistration<?> higherPriorityReg = register(higherPriority, 0);
      registrations.add(higherPriorityReg);
      awaitRegistration(
          registry,
          "ranking_test",
          r -> r != null && r.provider() == higherPriority,
          "the higher-priority provider");

      // A negative service.ranking loses to the default 0 whatever its priority.
      registrations.add(register(new FakeBalancerProvider("ranking_test", 100), -1));
      assertSame(higherPriority, registry.lookup("ranking_test"));

      // service.ranking beats priority.
      ServiceRegistration<?> ranked = register(higherRanking, 10);
      registrations.add(ranked);
      ProviderRegistry.Registration<BalancerProvider> winner =
          awaitRegistration(
              registry,
              "ranking_test",
              r -> r != null && r.provider() == higherRanking,
              "the service with service.ranking=10");
      assertEquals(10, winner.ranking());

      // A ranking changed on the live service takes effect.
      ranked.setProperties(properties("ranking_test", -5));
      awaitRegistration(
          registry,
          "ranking_test",
          r -> r != null && r.provider() == higherPriority,
          "the higher-priority provider after the ranking dropped");

      // The winner leaving hands over to the earlier of the two equal ones, then to the other.
      registrations.remove(higherPriorityReg);
      higherPriorityReg.unregister();
      awaitRegistration(
          registry,
          "ranking_test",
          r -> r != null && r.provider() == first,
          "the first provider after the higher-priority one left");
      registrations.remove(firstReg);
      firstReg.unregister();
      awaitRegistration(
          registry,
          "ranking_test",
          r -> r != null && r.provider() == second,
          "the second provider after the first left");
    } finally {
      registrations.forEach(ServiceRegistration::unregister);
    }
    awaitRegistration(registry, "ranking_test", r -> r == null, "every test provider to leave");
    // The real providers were never disturbed.
    assertFed(registry, "round_robin", "balancer-roundrobin");
  }

  @Test
  public void callsWorkThroughTheServiceRegistryWiring() throws Exception {
    List<Server> servers = InFramework.startBackends(3);
    ClientConn conn = null;
    try {
      conn =
          ClientConns.newClient(
              InFramework.addresses(servers),
              Loopback.insecure()
                  .defaultServiceConfig("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}")
                  .build());
      InFramework.awaitBackends(conn, 3);
    } finally {
      InFramework.shutdown(conn, servers);
    }
  }

  @Test
  public void dnsTargetsResolveThroughTheResolverBundle() throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    ClientConn conn = null;
    try {
      conn =
          ClientConns.newClient(
              "dns:///localhost:" + servers.get(0).port(), Loopback.insecure().build());
      assertEquals("backend-0", InFramework.callId(conn));
    } finally {
      InFramework.shutdown(conn, servers);
    }
  }

  private ServiceRegistration<BalancerProvider> register(BalancerProvider p, int ranking) {
    return ctx.registerService(BalancerProvider.class, p, properties(p.name(), ranking));
  }

  private static Dictionary<String, Object> properties(String name, int ranking) {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(BalancerProvider.NAME_PROPERTY, name);
    props.put(Constants.SERVICE_RANKING, ranking);
    return props;
  }

  private static <P> void assertFed(ProviderRegistry<P> registry, String name, String artifact)
      throws InterruptedException {
    ProviderRegistry.Registration<P> r =
        awaitRegistration(registry, name, x -> x != null, name + " in the registry");
    assertNotNull(r);
    assertEquals("bundle " + FelixOptions.bsn(artifact) + " " + ORIGINAL_VERSION, r.origin());
    assertEquals(0, r.ranking());
  }

  private void assertService(String type, String filter) throws Exception {
    // DS registers asynchronously: wait on a tracker rather than polling.
    ServiceTracker<Object, Object> tracker =
        new ServiceTracker<>(
            ctx, ctx.createFilter("(&(objectClass=" + type + ")" + filter + ")"), null);
    tracker.open();
    try {
      Object service = tracker.waitForService(10_000);
      assertTrue(type + filter + " registered and instantiated", service != null);
      assertEquals(1, tracker.size());
    } finally {
      tracker.close();
    }
  }

  /** A balancer provider that is only ever ranked, never used. */
  private record FakeBalancerProvider(String name, int priority) implements BalancerProvider {
    @Override
    public Balancer newBalancer(BalancerConn conn) {
      throw new UnsupportedOperationException("ranking test only");
    }
  }
}
