package dev.switchboard.distribution.demo;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.shell.Reports;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The demo script, run inside the framework, in four phases under continuous calls from {@value
 * #CALLERS} threads: (1) three Greeter backends from server configurations with the Greeter as a
 * whiteboard service, and a channel from a channel configuration on {@code pick_first}; (2) a
 * configuration update switches the live channel to {@code [round_robin, pick_first]}; (3) the
 * Greeter services leave (calls meanwhile get UNIMPLEMENTED, counted apart as expected) and return;
 * (4) the round_robin bundle stopped and started {@value #SWAPS} times. Prints the per-backend
 * counts of each phase, the channel's wiring and the providers.
 */
final class DemoRun {
  static final String PICK_FIRST = "{\"loadBalancingConfig\":[{\"pick_first\":{}}]}";
  static final String ROUND_ROBIN =
      "{\"loadBalancingConfig\":[{\"round_robin\":{}},{\"pick_first\":{}}]}";
  static final String ROUND_ROBIN_BSN = "dev.switchboard.balancer.roundrobin";
  private static final int BACKENDS = 3;
  private static final int CALLERS = 4;
  private static final int SWAPS = 2;
  private static final int CALLS_PER_PHASE = 600;

  /** UNIMPLEMENTED answers to see while the Greeter services are away before they return. */
  private static final int GAP_CALLS = 200;

  private static final long STEP_TIMEOUT_S = 30;

  /** How long the channel and the servers get to close at the end. */
  private static final long CLOSE_TIMEOUT_S = 5;

  private final BundleContext ctx;
  private final ConfigurationAdmin configAdmin;
  private final PrintStream out;
  private final Map<String, Long> totals = new TreeMap<>();
  private DemoBackends backends;
  private DemoChannel demoChannel;
  private ClientConn channel;
  private DemoLoad load;

  DemoRun(BundleContext ctx, ConfigurationAdmin configAdmin, PrintStream out) {
    this.ctx = ctx;
    this.configAdmin = configAdmin;
    this.out = out;
  }

  /**
   * Runs the demo; the result holds {@code failedCalls} (unexpected failures), {@code
   * expectedFailures} (UNIMPLEMENTED while the Greeter was away) and, if a step failed, {@code
   * error}.
   */
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
      try {
        shutDown();
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    long failed = load == null ? 0 : load.failedCalls();
    if (failed > 0) {
      out.println("failures: " + load.failures().subList(0, (int) Math.min(10, failed)));
    }
    result.put("failedCalls", failed);
    result.put("expectedFailures", load == null ? 0L : load.expectedFailures());
    return result;
  }

  private void script() throws Exception {
    out.println("== Switchboard demo: live changes inside OSGi ==");
    // Bundles start in any order and DS registers providers as they do: wait for what we need.
    awaitProvider(TransportRegistry.getDefaultRegistry(), "netty");
    awaitProvider(CodecRegistry.getDefaultRegistry(), "proto");
    awaitProvider(BalancerRegistry.getDefaultRegistry(), "pick_first");
    awaitProvider(BalancerRegistry.getDefaultRegistry(), "round_robin");

    out.println();
    out.println(
        "[1] Servers and a channel from Configuration Admin; the Greeter from the whiteboard");
    backends = new DemoBackends(ctx, configAdmin);
    backends.start(BACKENDS, STEP_TIMEOUT_S).forEach(line -> out.println("  " + line));
    demoChannel = new DemoChannel(ctx, configAdmin);
    channel = demoChannel.create(backends.target(), PICK_FIRST, STEP_TIMEOUT_S);
    out.printf(
        "  channel service (name=%s) from configuration %s:%n    target %s%n"
            + "    default.service.config %s%n",
        DemoChannel.NAME, demoChannel.pid(), backends.target(), PICK_FIRST);
    DemoPhase phase = DemoPhase.of("pick_first", CALLS_PER_PHASE);
    load = new DemoLoad(channel, phase);
    load.start(CALLERS);
    awaitServing("pick_first");
    out.printf("  %d threads calling SayHello; per-backend answers in each phase:%n", CALLERS);
    finish(phase);

    out.println();
    out.println("[2] Configuration update: the live channel switches to round_robin");
    out.println("--> updating " + demoChannel.pid() + ": default.service.config " + ROUND_ROBIN);
    DemoPhase switching = DemoPhase.of("switching to round_robin", 0);
    load.enter(switching);
    demoChannel.updateServiceConfig(ROUND_ROBIN);
    awaitServing("round_robin");
    report(switching);
    printBalancer();
    phase = DemoPhase.of("round_robin", CALLS_PER_PHASE);
    load.enter(phase);
    finish(phase);
    out.println();
    out.println("  Wiring:");
    out.println(indent(Reports.wiring(channel), 4));

    out.println();
    out.println("[3] The Greeter services leave and return (whiteboard) under load");
    out.println("  (calls while they are away get UNIMPLEMENTED: expected, counted apart)");
    DemoPhase gap = DemoPhase.expecting("greeter away", Status.Code.UNIMPLEMENTED, GAP_CALLS);
    // No call counted in round_robin above may still be on its way when the Greeters go.
    load.enterSettled(gap, STEP_TIMEOUT_S, TimeUnit.SECONDS);
    out.println("--> unregistering the Greeter services: each server unbinds its own");
    backends.withdrawGreeters();
    if (!gap.awaitExpected(STEP_TIMEOUT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "no " + GAP_CALLS + " UNIMPLEMENTED calls after " + STEP_TIMEOUT_S + " s");
    }
    out.println("--> registering the Greeter services again: each server binds its own");
    backends.publishGreeters();
    DemoPhase back = DemoPhase.of("greeter back", CALLS_PER_PHASE);
    load.enter(back);
    awaitAnswers(back);
    // Printed once the next phase has its calls, so that the gap's last calls are counted.
    report(gap);
    report(back);

    out.println();
    out.printf("[4] The round_robin bundle stopped and started %d times under load%n", SWAPS);
    for (int swap = 1; swap <= SWAPS; swap++) {
      Bundle roundRobin = bundle(ROUND_ROBIN_BSN);
      out.println(
          "--> stopping bundle " + roundRobin.getSymbolicName() + " " + roundRobin.getVersion());
      switching = DemoPhase.of("switching to pick_first", 0);
      load.enter(switching);
      roundRobin.stop();
      awaitServing("pick_first");
      report(switching);
      printBalancer();
      phase = DemoPhase.of("pick_first", CALLS_PER_PHASE);
      load.enter(phase);
      finish(phase);

      out.println(
          "--> starting bundle " + roundRobin.getSymbolicName() + " " + roundRobin.getVersion());
      switching = DemoPhase.of("switching to round_robin", 0);
      load.enter(switching);
      roundRobin.start();
      awaitServing("round_robin");
      report(switching);
      printBalancer();
      phase = DemoPhase.of("round_robin", CALLS_PER_PHASE);
      load.enter(phase);
      finish(phase);
    }
    load.stop();

    out.println();
    out.println("Wiring at the end:");
    out.println(indent(Reports.wiring(channel), 2));
    out.println();
    out.println("Providers (the winner of each name marked *):");
    out.println(indent(Reports.providers(), 2));
    out.println();
    out.printf("Total: %d calls; per backend %s%n", load.calls(), totals);
    out.printf(
        "UNIMPLEMENTED while the Greeter services were away: %d (expected; not failed calls)%n",
        load.expectedFailures());
  }

  /** The balancer line of the wiring: which policy serves, from which bundle, and why. */
  private void printBalancer() {
    ChannelWiring.Component balancer = channel.describeWiring().balancer();
    out.println("    wiring: " + (balancer == null ? "no balancer" : balancer.toString()));
  }

  /** Waits for the phase's answers, then prints its line. */
  private void finish(DemoPhase phase) throws InterruptedException {
    awaitAnswers(phase);
    report(phase);
  }

  private static void awaitAnswers(DemoPhase phase) throws InterruptedException {
    if (!phase.await(STEP_TIMEOUT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "phase '" + phase.label + "' did not get its answers in " + STEP_TIMEOUT_S + " s");
    }
  }

  private void report(DemoPhase phase) {
    StringBuilder line = new StringBuilder(String.format("  %-26s", phase.label));
    for (int i = 1; i <= BACKENDS; i++) {
      String backend = "backend-" + i;
      long n = phase.perBackend().getOrDefault(backend, 0L);
      totals.merge(backend, n, Long::sum);
      line.append(String.format("  %s %5d", backend, n));
    }
    line.append(String.format("   failed %d", phase.failedCalls()));
    if (phase.expected() != null) {
      line.append(String.format("   %s %d (expected)", phase.expected(), phase.expectedFailures()));
    }
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

  /**
   * Deletes the demo's configurations and waits (bounded) for the channel and the servers to close
   * gracefully, so that nothing is left running when the framework stops.
   */
  private void shutDown() throws InterruptedException {
    if (demoChannel != null) {
      demoChannel.close(CLOSE_TIMEOUT_S);
    }
    if (backends != null) {
      backends.close(CLOSE_TIMEOUT_S);
    }
  }

  private static String indent(String text, int spaces) {
    return text.indent(spaces).stripTrailing();
  }
}
