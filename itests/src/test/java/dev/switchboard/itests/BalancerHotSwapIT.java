package dev.switchboard.itests;

import static dev.switchboard.itests.InFramework.awaitRegistration;
import static dev.switchboard.itests.InFramework.awaitWiring;
import static dev.switchboard.itests.InFramework.serving;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.clientconn.ClientConns;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

/**
 * Hot swap under load: a channel configured {@code [round_robin, pick_first]} is called
 * continuously from 8 threads while the round_robin bundle is stopped, started and updated to a
 * newer version, 10 times. The channel falls back to pick_first and comes back to round_robin each
 * time, gracefully: not one call fails.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class BalancerHotSwapIT {
  private static final String CONFIG =
      "{\"loadBalancingConfig\":[{\"round_robin\":{}},{\"pick_first\":{}}]}";
  private static final int ROUNDS = 10;
  private static final int THREADS = 8;

  @Inject BundleContext ctx;

  @Configuration
  public Option[] config() {
    return FelixOptions.switchboard();
  }

  @Test
  public void roundRobinBundleStoppedStartedAndUpdatedUnderLoadFailsNoCall() throws Exception {
    BalancerRegistry balancers = BalancerRegistry.getDefaultRegistry();
    List<Server> servers = InFramework.startBackends(3);
    ClientConn conn = null;
    CallLoad load = null;
    try {
      conn =
          ClientConns.newClient(
              InFramework.addresses(servers),
              Loopback.insecure().defaultServiceConfig(CONFIG).build());
      InFramework.awaitBackends(conn, 3);
      ClientConn channel = conn;
      awaitWiring(channel, w -> serving(w, "round_robin"), "round_robin to serve");

      load = new CallLoad(conn);
      load.start(THREADS);
      Bundle roundRobin = InFramework.bundle(ctx, "balancer-roundrobin");
      int pickFirstRounds = 0;
      int roundRobinRounds = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        roundRobin.stop();
        awaitRegistration(balancers, "round_robin", r -> r == null, "round_robin to leave");
        awaitWiring(channel, w -> serving(w, "pick_first"), "the fall-back to pick_first");
        assertEquals("pick_first sticks to one backend", 1, backendsAnswering(channel, 60));
        pickFirstRounds++;

        roundRobin.start();
        awaitRegistration(balancers, "round_robin", r -> r != null, "round_robin to return");
        awaitWiring(channel, w -> serving(w, "round_robin"), "the switch back to round_robin");
        InFramework.awaitBackends(channel, 3); // round_robin spreads calls again
        roundRobinRounds++;

        String version = "0.1." + round; // above 0.1.0.SNAPSHOT, rising each round
        File newer = InFramework.withBundleVersion("balancer-roundrobin", version);
        try (InputStream in = new FileInputStream(newer)) {
          roundRobin.update(in);
        }
        ProviderRegistry.Registration<BalancerProvider> updated =
            awaitRegistration(
                balancers,
                "round_robin",
                r -> r != null && r.origin().endsWith(" " + version),
                "round_robin " + version);
        assertEquals("bundle dev.switchboard.balancer.roundrobin " + version, updated.origin());
        ChannelWiring wiring =
            awaitWiring(
                channel,
                w -> serving(w, "round_robin") && w.balancer().origin().endsWith(" " + version),
                "round_robin " + version + " to serve");
        assertEquals(updated.origin(), wiring.balancer().origin());
        InFramework.awaitBackends(channel, 3);
      }
      load.stop();
      System.out.printf(
          "hot swap: %d rounds, %d calls from %d threads, per backend %s, " + "failed %d%n",
          ROUNDS, load.calls(), THREADS, load.perBackend(), load.failures().size());

      assertTrue("calls failed during the swaps: " + load.failures(), load.failures().isEmpty());
      assertEquals(ROUNDS, pickFirstRounds);
      assertEquals(ROUNDS, roundRobinRounds);
      assertEquals(
          "every backend served the load: " + load.perBackend(), 3, load.perBackend().size());
      assertTrue("load ran: " + load.calls(), load.calls() > ROUNDS * THREADS);
    } finally {
      if (load != null) {
        load.stop();
      }
      InFramework.shutdown(conn, servers);
    }
  }

  /**
   * Two bundles offering {@code round_robin}: the one registered first wins and keeps winning; the
   * other coming and going changes nothing (the registry does not even report a change), and when
   * the winner leaves the channel moves to the other once and stays there when the first comes
   * back. No call fails throughout.
   */
  @Test
  public void sameNameFromTwoBundlesNeverFlaps() throws Exception {
    BalancerRegistry balancers = BalancerRegistry.getDefaultRegistry();
    String original = "bundle dev.switchboard.balancer.roundrobin 0.1.0.SNAPSHOT";
    String copyBsn = "dev.switchboard.balancer.roundrobin.copy";
    String copy = "bundle " + copyBsn + " 0.1.0";
    File copyJar =
        InFramework.withManifest(
            "balancer-roundrobin",
            "copy",
            java.util.Map.of("Bundle-SymbolicName", copyBsn, "Bundle-Version", "0.1.0"));
    java.util.concurrent.atomic.AtomicInteger winnerChanges =
        new java.util.concurrent.atomic.AtomicInteger();
    ProviderRegistry.Listener counter =
        names -> {
          if (names.contains("round_robin")) {
            winnerChanges.incrementAndGet();
          }
        };
    List<Server> servers = InFramework.startBackends(3);
    ClientConn conn = null;
    CallLoad load = null;
    Bundle second = null;
    try {
      conn =
          ClientConns.newClient(
              InFramework.addresses(servers),
              Loopback.insecure()
                  .defaultServiceConfig("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}")
                  .build());
      ClientConn channel = conn;
      InFramework.awaitBackends(conn, 3);
      awaitWiring(
          channel,
          w -> serving(w, "round_robin") && w.balancer().origin().equals(original),
          "the original round_robin to serve");
      load = new CallLoad(conn);
      load.start(4);

      balancers.addListener(counter);
      second = ctx.installBundle(copyJar.toURI().toString());
      for (int i = 0; i < 3; i++) {
        second.start();
        awaitRegistration(
            balancers,
            "round_robin",
            r -> balancers.registrations("round_robin").size() == 2,
            "both round_robin providers");
        second.stop();
        awaitRegistration(
            balancers,
            "round_robin",
            r -> balancers.registrations("round_robin").size() == 1,
            "the copy to leave");
      }
      assertEquals("the loser coming and going never changed the winner", 0, winnerChanges.get());
      assertEquals(original, channel.describeWiring().balancer().origin());

      // The winner leaves: one move to the other provider of the same name...
      second.start();
      Bundle first = InFramework.bundle(ctx, "balancer-roundrobin");
      first.stop();
      awaitWiring(
          channel,
          w -> serving(w, "round_robin") && w.balancer().origin().equals(copy),
          "the copy to take over");
      // ...and no move back when the first returns: it now registered later.
      first.start();
      awaitRegistration(
          balancers,
          "round_robin",
          r -> balancers.registrations("round_robin").size() == 2,
          "both round_robin providers again");
      assertEquals(copy, balancers.lookupRegistration("round_robin").origin());
      InFramework.awaitBackends(channel, 3);
      assertEquals(copy, channel.describeWiring().balancer().origin());

      second.uninstall();
      second = null;
      awaitWiring(
          channel,
          w -> serving(w, "round_robin") && w.balancer().origin().equals(original),
          "the original to serve again");
      load.stop();
      assertTrue("calls failed: " + load.failures(), load.failures().isEmpty());
    } finally {
      balancers.removeListener(counter);
      if (load != null) {
        load.stop();
      }
      if (second != null) {
        second.uninstall();
      }
      InFramework.shutdown(conn, servers);
    }
  }

  /** How many backends answer {@code calls} consecutive calls from this thread. */
  private static int backendsAnswering(ClientConn conn, int calls) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < calls; i++) {
      seen.add(InFramework.callId(conn));
    }
    return seen.size();
  }
}
