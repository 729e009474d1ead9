package dev.switchboard.distribution.demo;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.shell.Reports;
import dev.switchboard.shell.SwitchboardCommands;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The demo script, run inside the framework: three Greeter backends on loopback, one channel
 * configured {@code [round_robin, pick_first]} called from {@value #CALLERS} threads, and the
 * round_robin bundle stopped and started {@value #SWAPS} times while the calls go on. Prints the
 * per-backend counts of each phase, the channel's wiring and the providers.
 */
final class DemoRun {
  static final String SERVICE_CONFIG =
      "{\"loadBalancingConfig\":[{\"round_robin\":{}},{\"pick_first\":{}}]}";
  static final String ROUND_ROBIN_BSN = "dev.switchboard.balancer.roundrobin";
  private static final int BACKENDS = 3;
  private static final int CALLERS = 4;
  private static final int SWAPS = 2;
  private static final int CALLS_PER_PHASE = 600;
  private static final long STEP_TIMEOUT_S = 30;

  private final BundleContext ctx;
  private final PrintStream out;
  private final List<Server> servers = new ArrayList<>();
  private final Map<String, Long> totals = new TreeMap<>();
  private ClientConn channel;
  private ServiceRegistration<ClientConn> published;
  private DemoLoad load;

  DemoRun(BundleContext ctx, PrintStream out) {
    this.ctx = ctx;
    this.out = out;
  }

  /** Runs the demo; the result holds {@code failedCalls} and, if a step failed, {@code error}. */
  Map<String, Object> run() {
    Map<String, Object> result = new HashMap<>();
    try {
      script();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.put("error", "interrupted");
    } catch (Exception | AssertionError e) {
      out.println("step failed: " + e);
      result.put("error", e.toString());
    } finally {
      // Let the callers finish their current call before the channel closes, even when
      // interrupted (the launcher gave up waiting): otherwise closing would fail them.
      boolean interrupted = Thread.interrupted();
      try {
        if (load != null) {
          load.stop();
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
      shutDown();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    long failed = load == null ? 0 : load.failedCalls();
    if (failed > 0) {
      out.println("failures: " + load.failures().subList(0, (int) Math.min(10, failed)));
    }
    result.put("failedCalls", failed);
    return result;
  }

  private void script() throws Exception {
    out.println("== Switchboard demo: balancers swapped live inside OSGi ==");
    // Bundles start in any order and DS registers providers as they do: wait for what we need.
    awaitProvider(TransportRegistry.getDefaultRegistry(), "netty");
    awaitProvider(CodecRegistry.getDefaultRegistry(), "proto");
    awaitProvider(BalancerRegistry.getDefaultRegistry(), "pick_first");
    awaitProvider(BalancerRegistry.getDefaultRegistry(), "round_robin");
    List<SocketAddress> addresses = new ArrayList<>();
    for (int i = 1; i <= BACKENDS; i++) {
      Server server = DemoGreeter.start("backend-" + i);
      servers.add(server);
      addresses.add(new InetSocketAddress("127.0.0.1", server.port()));
      out.println("backend-" + i + " listening on 127.0.0.1:" + server.port());
    }
    channel =
        ClientConns.newClient(
            addresses,
            DialOptions.newBuilder().insecure().defaultServiceConfig(SERVICE_CONFIG).build());
    // Published so that `switchboard:channels` in a Gogo shell shows it.
    published =
        ctx.registerService(
            ClientConn.class,
            channel,
            new java.util.Hashtable<>(Map.of(SwitchboardCommands.CHANNEL_PROPERTY, "demo")));
    out.println("channel " + channel.target() + " with " + SERVICE_CONFIG);

    DemoLoad.Phase phase = new DemoLoad.Phase("round_robin", CALLS_PER_PHASE);
    load = new DemoLoad(channel, phase);
    load.start(CALLERS);
    awaitServing("round_robin");
    out.printf("%d threads calling SayHello; per-backend answers in each phase:%n", CALLERS);
    finish(phase);
    out.println();
    out.println("Wiring:");
    out.println(indent(Reports.wiring(channel)));
    out.println();

    for (int swap = 1; swap <= SWAPS; swap++) {
      Bundle roundRobin = bundle(ROUND_ROBIN_BSN);
      out.println(
          "--> stopping bundle " + roundRobin.getSymbolicName() + " " + roundRobin.getVersion());
      DemoLoad.Phase switching = new DemoLoad.Phase("switching to pick_first", 0);
      load.enter(switching);
      roundRobin.stop();
      awaitServing("pick_first");
      report(switching);
      printBalancer();
      phase = new DemoLoad.Phase("pick_first", CALLS_PER_PHASE);
      load.enter(phase);
      finish(phase);

      out.println(
          "--> starting bundle " + roundRobin.getSymbolicName() + " " + roundRobin.getVersion());
      switching = new DemoLoad.Phase("switching to round_robin", 0);
      load.enter(switching);
      roundRobin.start();
      awaitServing("round_robin");
      report(switching);
      printBalancer();
      phase = new DemoLoad.Phase("round_robin", CALLS_PER_PHASE);
      load.enter(phase);
      finish(phase);
    }
    load.stop();

    out.println();
    out.println("Wiring at the end:");
    out.println(indent(Reports.wiring(channel)));
    out.println();
    out.println("Providers (the winner of each name marked *):");
    out.println(indent(Reports.providers()));
    out.println();
    out.printf("Total: %d calls; per backend %s%n", load.calls(), totals);
  }

  /** The balancer line of the wiring: which policy serves, from which bundle, and why. */
  private void printBalancer() {
    ChannelWiring.Component balancer = channel.describeWiring().balancer();
    out.println("    wiring: " + (balancer == null ? "no balancer" : balancer.toString()));
  }

  /** Waits for the phase's calls, then prints its line. */
  private void finish(DemoLoad.Phase phase) throws InterruptedException {
    if (!phase.await(STEP_TIMEOUT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "phase '" + phase.label + "' did not get its calls in " + STEP_TIMEOUT_S + " s");
    }
    report(phase);
  }

  private void report(DemoLoad.Phase phase) {
    StringBuilder line = new StringBuilder(String.format("  %-26s", phase.label));
    for (int i = 1; i <= BACKENDS; i++) {
      String backend = "backend-" + i;
      long n = phase.perBackend().getOrDefault(backend, 0L);
      totals.merge(backend, n, Long::sum);
      line.append(String.format("  %s %5d", backend, n));
    }
    line.append(String.format("   failed %d", phase.failedCalls()));
    out.println(line);
  }

  /**
   * Waits until {@code policy} serves the channel and no switch is pending, polling the wiring
   * between bounded waits for a state change.
   */
  private void awaitServing(String policy) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S);
    while (true) {
      ChannelWiring wiring = channel.describeWiring();
      ChannelWiring.Component balancer = wiring.balancer();
      if (balancer != null
          && balancer.name().equals(policy)
          && balancer.state() == ChannelWiring.State.ACTIVE
          && wiring.components(ChannelWiring.Role.BALANCER).stream()
              .noneMatch(c -> c.state() == ChannelWiring.State.PENDING)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            policy + " is not serving after " + STEP_TIMEOUT_S + " s; wiring:\n" + wiring);
      }
      channel.waitForStateChange(channel.getState(false), 20, TimeUnit.MILLISECONDS);
    }
  }

  /** Waits, woken by the registry's listener, until {@code name} has a provider. */
  private static void awaitProvider(ProviderRegistry<?> registry, String name)
      throws InterruptedException {
    Semaphore changed = new Semaphore(0);
    ProviderRegistry.Listener listener = names -> changed.release();
    registry.addListener(listener);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S);
      while (registry.lookup(name) == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "no provider '"
                  + name
                  + "' after "
                  + STEP_TIMEOUT_S
                  + " s: "
                  + registry.howToDeploy(name));
        }
        changed.tryAcquire(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      registry.removeListener(listener);
    }
  }

  private Bundle bundle(String bsn) {
    for (Bundle b : ctx.getBundles()) {
      if (bsn.equals(b.getSymbolicName())) {
        return b;
      }
    }
    throw new IllegalStateException("bundle " + bsn + " is not installed");
  }

  private void shutDown() {
    if (published != null) {
      try {
        published.unregister();
      } catch (IllegalStateException e) {
        // Already gone with our bundle.
      }
    }
    if (channel != null) {
      channel.close();
    }
    for (Server s : servers) {
      s.shutdown();
    }
    try {
      if (channel != null) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
      for (Server s : servers) {
        if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
          s.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String indent(String text) {
    return text.indent(2).stripTrailing();
  }
}
