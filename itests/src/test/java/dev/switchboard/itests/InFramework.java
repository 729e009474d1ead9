package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.api.spi.ProviderRegistry;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Helpers for tests that run inside Felix (in the pax-exam probe): bundles by artifact id, waiting
 * on registry changes without sleeping, loopback backends, and re-versioned bundle jars.
 */
final class InFramework {
  static final long TIMEOUT_MS = 20_000;

  /**
   * Lines {@code switchboard:providers} prints when every Switchboard bundle of this build runs:
   * each provider the winner of its name, from its bundle.
   */
  static final List<String> PROVIDER_LINES =
      List.of(
          "balancer   pick_first   * bundle dev.switchboard.balancer.pickfirst 0.1.0.SNAPSHOT",
          "balancer   round_robin  * bundle dev.switchboard.balancer.roundrobin 0.1.0.SNAPSHOT",
          "codec      proto        * bundle dev.switchboard.codec.proto 0.1.0.SNAPSHOT",
          "resolver   dns          * bundle dev.switchboard.resolver.dns 0.1.0.SNAPSHOT",
          "transport  netty        * bundle dev.switchboard.transport.netty 0.1.0.SNAPSHOT",
          "compressor gzip         * built-in");

  private InFramework() {}

  /** The installed bundle built from {@code artifact} ({@code balancer-roundrobin}, ...). */
  static Bundle bundle(BundleContext ctx, String artifact) {
    String bsn = FelixOptions.bsn(artifact);
    for (Bundle b : ctx.getBundles()) {
      if (bsn.equals(b.getSymbolicName())) {
        return b;
      }
    }
    throw new AssertionError("bundle " + bsn + " is not installed");
  }

  /**
   * Waits until the winning registration for {@code name} satisfies {@code condition} (it may be
   * null: "no provider"), woken by the registry's listener and re-checking at least every 50 ms;
   * fails after {@link #TIMEOUT_MS}.
   */
  static <P> ProviderRegistry.Registration<P> awaitRegistration(
      ProviderRegistry<P> registry,
      String name,
      Predicate<ProviderRegistry.Registration<P>> condition,
      String what)
      throws InterruptedException {
    Semaphore changed = new Semaphore(0);
    ProviderRegistry.Listener listener =
        names -> {
          if (names.contains(name)) {
            changed.release();
          }
        };
    registry.addListener(listener);
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
      while (true) {
        ProviderRegistry.Registration<P> r = registry.lookupRegistration(name);
        if (condition.test(r)) {
          return r;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for " + what + "; '" + name + "' is " + r);
        }
        // Woken by a winner change; conditions on losers (registrations()) are re-read often.
        changed.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
      }
    } finally {
      registry.removeListener(listener);
    }
  }

  /**
   * Waits until the channel's wiring satisfies {@code condition}, pacing the polls with a bounded
   * wait for a connectivity-state change rather than a sleep; fails after {@link #TIMEOUT_MS}
   * showing the last wiring.
   */
  static ChannelWiring awaitWiring(ClientConn conn, Predicate<ChannelWiring> condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (true) {
      ChannelWiring wiring = conn.describeWiring();
      if (condition.test(wiring)) {
        return wiring;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; wiring:\n" + wiring);
      }
      conn.waitForStateChange(conn.getState(false), 20, TimeUnit.MILLISECONDS);
    }
  }

  /** True when {@code policy} serves the channel and no switch is under way. */
  static boolean serving(ChannelWiring wiring, String policy) {
    ChannelWiring.Component balancer = wiring.balancer();
    return balancer != null
        && balancer.name().equals(policy)
        && balancer.state() == ChannelWiring.State.ACTIVE
        && wiring.components(ChannelWiring.Role.BALANCER).stream()
            .noneMatch(c -> c.state() == ChannelWiring.State.PENDING);
  }

  /** Starts {@code count} echo servers named backend-0.. on 127.0.0.1. */
  static List<Server> startBackends(int count) throws IOException {
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      servers.add(Loopback.start(new EchoService("backend-" + i)));
    }
    return servers;
  }

  static List<SocketAddress> addresses(List<Server> servers) {
    List<SocketAddress> out = new ArrayList<>();
    for (Server s : servers) {
      out.add(new InetSocketAddress("127.0.0.1", s.port()));
    }
    return out;
  }

  /** One unary call; returns the id of the backend that answered. */
  static String callId(ClientConn conn) throws Exception {
    return Loopback.unary(
            conn,
            EchoService.UNARY,
            str("id"),
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS))
        .getValue();
  }

  /** Calls until {@code count} distinct backends have answered, bounded by the timeout. */
  static void awaitBackends(ClientConn conn, int count) throws Exception {
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (seen.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + seen + " answered within " + TIMEOUT_MS + " ms");
      }
      seen.add(callId(conn));
    }
  }

  static void shutdown(ClientConn conn, List<Server> servers) throws InterruptedException {
    if (conn != null) {
      conn.close();
      conn.awaitTermination(10, TimeUnit.SECONDS);
    }
    for (Server s : servers) {
      s.shutdownNow();
    }
    for (Server s : servers) {
      s.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Copies the jar of {@code artifact} into the bundles directory with {@code Bundle-Version}
   * replaced by {@code version}: the same code as a newer bundle, for {@code Bundle.update}.
   */
  static File withBundleVersion(String artifact, String version) throws IOException {
    return withManifest(artifact, version, java.util.Map.of("Bundle-Version", version));
  }

  /**
   * Copies the jar of {@code artifact} to {@code <artifact>-<suffix>.jar} in the bundles directory
   * with the given manifest headers replaced (a second bundle with the same code, a newer version
   * of it, ...).
   */
  static File withManifest(String artifact, String suffix, java.util.Map<String, String> headers)
      throws IOException {
    File source = FelixOptions.jarFile(artifact);
    File target = new File(source.getParentFile(), artifact + "-" + suffix + ".jar");
    try (JarFile in = new JarFile(source);
        OutputStream file = new FileOutputStream(target)) {
      Manifest manifest = new Manifest(in.getManifest());
      headers.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
      try (JarOutputStream out = new JarOutputStream(file, manifest)) {
        for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          if (entry.getName().equalsIgnoreCase("META-INF/MANIFEST.MF")) {
            continue;
          }
          out.putNextEntry(new JarEntry(entry.getName()));
          try (InputStream data = in.getInputStream(entry)) {
            data.transferTo(out);
          }
          out.closeEntry();
        }
      }
    }
    return target;
  }
}
