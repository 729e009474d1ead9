package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static org.ops4j.pax.exam.CoreOptions.propagateSystemProperties;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Karaf features of this build install and work in a real Apache Karaf (the {@code
 * apache-karaf} distribution of version {@code karaf.version}, from Maven Central), typed exactly
 * as distribution/README.md tells a user: {@code feature:repo-add
 * mvn:dev.switchboard/distribution/<version>/xml/features}, then {@code feature:install switchboard
 * switchboard-shell}. Then every bundle in Karaf is ACTIVE, the shell feature brought no examples
 * and no demo, the registries hold every provider from its bundle, a call works, and Karaf's own
 * shell runs {@code switchboard:providers} and {@code switchboard:channels}; a channel
 * configuration dropped into {@code etc/} makes a working channel service; {@code feature:install
 * switchboard-examples} works too, so do the standard services' features ({@code
 * switchboard-health}, {@code switchboard-reflection}, {@code switchboard-channelz}), so does
 * {@code switchboard-telemetry-otel} (with the OpenTelemetry API and Aries SPI Fly), and on Linux
 * x86_64 {@code feature:install switchboard-epoll} makes the transport's sockets epoll's.
 *
 * <p>Karaf's Maven resolver looks first in {@code karaf.repository} (this build's jars and features
 * XML, copied there by Maven), then in the local repository Maven fills, then on Maven Central:
 * what Karaf's {@code scr} feature and pax-exam's own features need beyond Karaf's {@code system/}
 * directory is a Maven artifact like any other.
 */
@RunWith(PaxExam.class)
@ExamFactory(KarafTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeatureIT {
  private static final String MVN_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

  /** The bundles {@code switchboard} and {@code switchboard-shell} install, by artifact id. */
  private static final List<String> FEATURE_BUNDLES = Modules.RUNTIME;

  /** The output of the one-time install, or the error it ended with. */
  private static String installed;

  private static Throwable installFailed;

  /** The Switchboard bundles right after the install (a later test adds the examples). */
  private static Set<String> installedBundles;

  @Inject BundleContext ctx;

  /** Runs in pax-exam's driver: unpack Karaf, point its Maven resolver at this build. */
  @Configuration
  public Option[] config() {
    String karafVersion = System.getProperty("karaf.version");
    String reactor = new File(System.getProperty("karaf.repository")).toURI().toString();
    String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
    List<Option> opts =
        new ArrayList<>(
            List.of(
                karafDistributionConfiguration()
                    .frameworkUrl(
                        new File(System.getProperty("karaf.distribution")).toURI().toString())
                    .karafVersion(karafVersion)
                    .name("Apache Karaf")
                    .unpackDirectory(new File("target/karaf"))
                    .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                propagateSystemProperties("switchboard.version"),
                // This build's jars first: mvn:dev.switchboard/... must never be an older installed
                // copy.
                editConfigurationFilePut(
                    MVN_CFG,
                    "org.ops4j.pax.url.mvn.defaultRepositories",
                    reactor
                        + "@id=switchboard.build@snapshots,"
                        + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots"),
                editConfigurationFilePut(
                    MVN_CFG,
                    "org.ops4j.pax.url.mvn.repositories",
                    "https://repo1.maven.org/maven2@id=central"),
                // Karaf's start script adds these on Java 9+ (bin/karaf); pax-exam starts java
                // itself.
                vmOptions(
                    "--add-reads=java.xml=java.logging",
                    "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                    "--patch-module",
                    "java.base=lib/endorsed/org.apache.karaf.specs.locator-"
                        + karafVersion
                        + ".jar",
                    "--patch-module",
                    "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-"
                        + karafVersion
                        + ".jar",
                    "--add-opens",
                    "java.base/java.security=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.net=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.util=ALL-UNNAMED",
                    "--add-opens",
                    "java.naming/javax.naming.spi=ALL-UNNAMED",
                    "--add-opens",
                    "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                    "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                    "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                    "-Xmx512m")));
    if (localRepository != null) {
      opts.add(
          editConfigurationFilePut(
              MVN_CFG, "org.ops4j.pax.url.mvn.localRepository", localRepository));
    }
    return opts.toArray(Option[]::new);
  }

  /**
   * Once per run, inside Karaf: the documented commands. Each test reports a failed install as its
   * own failure.
   */
  @Before
  public void installFeaturesOnce() throws Throwable {
    synchronized (KarafFeatureIT.class) {
      if (installed == null && installFailed == null) {
        try {
          installed =
              KarafShell.execute(
                      ctx,
                      "feature:repo-add mvn:dev.switchboard/distribution/"
                          + System.getProperty("switchboard.version", "0.1.0-SNAPSHOT")
                          + "/xml/features")
                  + "\n"
                  + KarafShell.execute(ctx, "feature:install switchboard switchboard-shell");
          installedBundles = switchboardBundles();
        } catch (Throwable t) {
          installFailed = t;
        }
      }
      if (installFailed != null) {
        throw installFailed;
      }
    }
  }

  @Test
  public void everyBundleIsActiveAndTheShellBroughtNoExamplesNorDemo() throws Exception {
    List<String> notActive = new ArrayList<>();
    for (Bundle b : ctx.getBundles()) {
      if (b.getHeaders().get("Fragment-Host") == null && b.getState() != Bundle.ACTIVE) {
        notActive.add(b.getSymbolicName() + " state=" + b.getState());
      }
    }
    assertTrue("bundles not ACTIVE: " + notActive + "\n" + installed, notActive.isEmpty());
    Set<String> expected = new TreeSet<>();
    FEATURE_BUNDLES.forEach(a -> expected.add(FelixOptions.bsn(a)));
    assertEquals("the Switchboard bundles the two features installed", expected, installedBundles);
    String features = KarafShell.execute(ctx, "feature:list -i");
    for (String feature :
        List.of("switchboard ", "switchboard-shell ", "switchboard-netty ", "scr ")) {
      assertTrue(
          "installed: " + feature + "\n" + features,
          features.lines().anyMatch(l -> l.startsWith(feature) && l.contains("Started")));
    }
  }

  @Test
  public void providersAreFedAndCallsWork() throws Exception {
    KarafChecks.providersFromTheirBundles();
    KarafChecks.callWorks();
  }

  @Test
  public void karafShellRunsTheSwitchboardCommands() throws Exception {
    KarafChecks.providersFromTheirBundles();
    String providers = KarafShell.execute(ctx, "switchboard:providers");
    for (String line : InFramework.PROVIDER_LINES) {
      assertTrue("missing '" + line + "' in:\n" + providers, providers.contains(line));
    }
    KarafChecks.channelsListsALiveChannel(ctx);
  }

  private Set<String> switchboardBundles() {
    Set<String> out = new TreeSet<>();
    for (Bundle b : ctx.getBundles()) {
      if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("dev.switchboard.")) {
        out.add(b.getSymbolicName());
      }
    }
    return out;
  }

  @Test
  public void aChannelConfigurationInEtcMakesAWorkingChannel() throws Exception {
    KarafChecks.providersFromTheirBundles();
    KarafChannelChecks.cfgFileInEtcMakesAWorkingChannel(ctx);
  }

  /**
   * {@code feature:install switchboard-epoll} (Linux x86_64 only): the native epoll bundles are
   * added, transport-netty is refreshed to wire its optional import of them, and its sockets are by
   * epoll from then on.
   */
  @Test
  public void epollFeatureMakesTheTransportUseEpoll() throws Exception {
    assumeTrue(
        "epoll: Linux x86_64 only",
        System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64"));
    KarafChecks.callWorksWithSocketsBy("NIO", "before switchboard-epoll");
    String out = KarafShell.execute(ctx, "feature:install switchboard-epoll");
    String features = KarafShell.execute(ctx, "feature:list -i");
    assertTrue(
        out + "\n" + features,
        features
            .lines()
            .anyMatch(l -> l.startsWith("switchboard-epoll ") && l.contains("Started")));
    KarafChecks.providersFromTheirBundles();
    KarafChecks.callWorksWithSocketsBy("epoll", out);
  }

  /**
   * {@code feature:install switchboard-health switchboard-reflection switchboard-channelz}: the
   * three bundles are ACTIVE, the health bundle's client-side health checker is registered (a DS
   * component) and reflection's and channelz's services are loadable from their bundles.
   */
  @Test
  public void standardServicesFeaturesInstall() throws Exception {
    String out =
        KarafShell.execute(
            ctx, "feature:install switchboard-health switchboard-reflection switchboard-channelz");
    String features = KarafShell.execute(ctx, "feature:list -i");
    for (String feature :
        List.of("switchboard-health ", "switchboard-reflection ", "switchboard-channelz ")) {
      assertTrue(
          "installed: " + feature + "\n" + out + "\n" + features,
          features.lines().anyMatch(l -> l.startsWith(feature) && l.contains("Started")));
    }
    for (String artifact : List.of("health", "reflection", "channelz")) {
      Bundle bundle = null;
      for (Bundle b : ctx.getBundles()) {
        if (FelixOptions.bsn(artifact).equals(b.getSymbolicName())) {
          bundle = b;
        }
      }
      assertTrue(artifact + " installed: " + out, bundle != null);
      assertEquals(artifact + ": " + out, Bundle.ACTIVE, bundle.getState());
    }
    assertTrue(
        "the health checker is a registered DS component",
        ctx.getServiceReferences("dev.switchboard.api.spi.HealthCheckProvider", null) != null);
  }

  /**
   * {@code feature:install switchboard-telemetry-otel}: telemetry-otel, the OpenTelemetry API
   * bundles and Aries SPI Fly (opentelemetry-common's Service Loader Mediator) are ACTIVE, and the
   * bundle's DS component publishes the {@code opentelemetry} TelemetryProvider service (off, as
   * Karaf runs without {@code -Dswitchboard.otel.global=true}).
   */
  @Test
  public void telemetryOtelFeatureInstalls() throws Exception {
    String out = KarafShell.execute(ctx, "feature:install switchboard-telemetry-otel");
    String features = KarafShell.execute(ctx, "feature:list -i");
    assertTrue(
        out + "\n" + features,
        features
            .lines()
            .anyMatch(l -> l.startsWith("switchboard-telemetry-otel ") && l.contains("Started")));
    for (String bsn :
        List.of(
            FelixOptions.bsn("telemetry-otel"),
            "opentelemetry-api",
            "opentelemetry-context",
            "opentelemetry-common",
            "org.apache.aries.spifly.dynamic.bundle")) {
      Bundle bundle = null;
      for (Bundle b : ctx.getBundles()) {
        if (bsn.equals(b.getSymbolicName())) {
          bundle = b;
        }
      }
      assertTrue(bsn + " installed: " + out, bundle != null);
      assertEquals(bsn + ": " + out, Bundle.ACTIVE, bundle.getState());
    }
    ServiceTracker<Object, Object> tracker =
        new ServiceTracker<>(
            ctx,
            ctx.createFilter(
                "(&(objectClass=dev.switchboard.api.telemetry.TelemetryProvider)"
                    + "(telemetry.name=opentelemetry))"),
            null);
    tracker.open();
    try {
      assertTrue(
          "the opentelemetry TelemetryProvider component is registered",
          tracker.waitForService(10_000) != null);
    } finally {
      tracker.close();
    }
  }

  @Test
  public void examplesFeatureInstalls() throws Exception {
    String out = KarafShell.execute(ctx, "feature:install switchboard-examples");
    Bundle examples = null;
    for (Bundle b : ctx.getBundles()) {
      if (FelixOptions.bsn("examples").equals(b.getSymbolicName())) {
        examples = b;
      }
    }
    assertTrue("examples installed: " + out, examples != null);
    assertEquals(out, Bundle.ACTIVE, examples.getState());
  }
}
