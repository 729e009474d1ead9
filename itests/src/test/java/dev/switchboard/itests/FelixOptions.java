package dev.switchboard.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * The bundles every pax-exam test provisions: DS (SCR), Netty, protobuf and the Switchboard
 * bundles, from {@code file:} URLs to the jars Maven copied into {@code target/bundles}
 * (pax-url-aether does not see reactor artifacts). Runs outside the framework, in pax-exam's
 * driver.
 *
 * <p>Framework-neutral despite its name (kept for the tests that call it): the same bundles boot in
 * Felix and in Equinox, whichever framework is on the test class path (the itests pom runs the
 * framework-neutral tests once per framework and names it in {@code switchboard.framework}, see
 * {@link #FRAMEWORK}). Felix SCR serves Declarative Services in both.
 *
 * <p>Two pax-exam containers are on the test class path (native Felix here, Karaf for {@code
 * KarafFeatureIT}), so every pax-exam test class names its own with {@code @ExamFactory}; without
 * it pax-exam fails with "Too many TestContainer implementations".
 */
final class FelixOptions {
  /** Netty 4.2 for codec-http2, plus the DNS client used by resolver-dns. */
  public static final List<String> NETTY =
      List.of(
          "netty-common",
          "netty-buffer",
          "netty-resolver",
          "netty-transport",
          "netty-transport-native-unix-common",
          "netty-codec-base",
          "netty-codec-compression",
          "netty-handler",
          "netty-codec-http",
          "netty-codec-http2",
          "netty-codec-socks",
          "netty-handler-proxy",
          "netty-codec-dns",
          "netty-resolver-dns");

  /** Every Switchboard runtime bundle, by artifact id (the shell's commands need no Gogo). */
  public static final List<String> SWITCHBOARD =
      java.util.stream.Stream.concat(
              Modules.RUNTIME.stream(), java.util.stream.Stream.of("examples"))
          .toList();

  /** The framework this run boots: {@code felix} or {@code equinox} (set by the itests pom). */
  public static final String FRAMEWORK = System.getProperty("switchboard.framework", "felix");

  private FelixOptions() {}

  /** The symbolic name of the system bundle of {@link #FRAMEWORK}. */
  public static String systemBundleName() {
    return switch (FRAMEWORK) {
      case "equinox" -> "org.eclipse.osgi";
      case "felix" -> "org.apache.felix.framework";
      default -> throw new IllegalStateException("unknown framework " + FRAMEWORK);
    };
  }

  /** The copied jar of {@code artifact}. */
  public static File jarFile(String artifact) {
    return new File(System.getProperty("bundles.dir"), artifact + ".jar");
  }

  /** Provisions (installs and starts) the copied jar of {@code artifact}. */
  public static Option jar(String artifact) {
    return bundle(jarFile(artifact).toURI().toString());
  }

  /** SCR, protobuf, Netty and every Switchboard bundle, then {@code extra}. */
  public static Option[] switchboard(Option... extra) {
    List<Option> opts =
        new ArrayList<>(
            List.of(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                junitBundles(),
                jar("org.osgi.util.function"),
                jar("org.osgi.util.promise"),
                jar("org.osgi.service.component"),
                jar("org.apache.felix.scr"),
                jar("protobuf-java")));
    for (String n : NETTY) {
      opts.add(jar(n));
    }
    for (String s : SWITCHBOARD) {
      opts.add(jar(s));
    }
    opts.addAll(List.of(extra));
    return opts.toArray(Option[]::new);
  }

  /**
   * The OpenTelemetry API bundles and what opentelemetry-common needs in OSGi (a Service Loader
   * Mediator: Aries SPI Fly and its ASM), then {@code extra}: to pass to {@link #switchboard}.
   */
  public static Option[] openTelemetryApi(String... extra) {
    List<Option> opts = new ArrayList<>();
    for (String a :
        List.of(
            "asm",
            "asm-tree",
            "asm-analysis",
            "asm-commons",
            "asm-util",
            "org.apache.aries.spifly.dynamic.bundle",
            "opentelemetry-common",
            "opentelemetry-context",
            "opentelemetry-api")) {
      opts.add(jar(a));
    }
    for (String a : extra) {
      opts.add(jar(a));
    }
    return opts.toArray(Option[]::new);
  }

  /** {@code dev.switchboard.balancer.roundrobin} for {@code balancer-roundrobin}. */
  public static String bsn(String artifact) {
    return "dev.switchboard." + artifact.replace('-', '.');
  }
}
