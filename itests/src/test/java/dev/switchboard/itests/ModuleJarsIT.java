package dev.switchboard.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Switchboard jar is an explicit JPMS module and an OSGi bundle saying the same thing: module
 * name = Bundle-SymbolicName, every {@code exports} has a versioned Export-Package clause (and
 * nothing else is exported), and each {@code provides} is mirrored by a {@code META-INF/services}
 * entry and a Declarative Services component.
 */
class ModuleJarsIT {
  private static final Path ROOT = Path.of(System.getProperty("switchboard.root", ".."));
  private static final String VERSION = System.getProperty("switchboard.version", "0.1.0-SNAPSHOT");

  private static Path jarOf(String module) {
    Path jar = ROOT.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar");
    assertTrue(Files.isRegularFile(jar), "missing " + jar + " (run mvn verify from the root)");
    return jar;
  }

  @ParameterizedTest
  @MethodSource("dev.switchboard.itests.Modules#all")
  void jarIsExplicitModuleAndMatchingBundle(String module) throws IOException {
    Path jar = jarOf(module);
    String expectedName = "dev.switchboard." + module.replace('-', '.');
    ModuleReference ref = ModuleFinder.of(jar).findAll().iterator().next();
    ModuleDescriptor d = ref.descriptor();
    assertFalse(d.isAutomatic(), module + " must not be an automatic module");
    assertEquals(expectedName, d.name());
    try (JarFile jf = new JarFile(jar.toFile())) {
      assertNotNull(jf.getEntry("module-info.class"), "module-info.class in " + jar);
      Manifest mf = jf.getManifest();
      assertEquals(expectedName, mf.getMainAttributes().getValue("Bundle-SymbolicName"));
      Map<String, String> exported =
          exportPackages(mf.getMainAttributes().getValue("Export-Package"));
      Set<String> moduleExports =
          d.exports().stream()
              .filter(e -> !e.isQualified())
              .map(ModuleDescriptor.Exports::source)
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(
          moduleExports,
          new TreeSet<>(exported.keySet()),
          module + ": module-info exports and Export-Package differ");
      exported.forEach(
          (pkg, attrs) ->
              assertTrue(
                  attrs.matches(".*;version=\"?\\d+\\.\\d+\\.\\d+\"?.*"),
                  module + ": export of " + pkg + " has no version: " + attrs));
      for (ModuleDescriptor.Provides p : d.provides()) {
        ZipEntry services = jf.getEntry("META-INF/services/" + p.service());
        assertNotNull(services, module + ": no META-INF/services entry for " + p.service());
        String listed = read(jf, services);
        for (String impl : p.providers()) {
          assertTrue(
              listed.lines().map(String::trim).anyMatch(impl::equals),
              module + ": " + impl + " provided but not listed in META-INF/services");
          String component = findComponentXml(jf, impl);
          assertNotNull(component, module + ": no DS component for " + impl);
          assertTrue(
              component.contains("interface=\"" + p.service() + "\""),
              module + ": DS component for " + impl + " does not publish " + p.service());
        }
      }
    }
  }

  /** The {@code uses} each module must declare (service type names). */
  private static final Map<String, Set<String>> USES =
      Map.of(
          "api",
          Set.of(
              "dev.switchboard.api.spi.BalancerProvider",
              "dev.switchboard.api.spi.ResolverProvider",
              "dev.switchboard.api.spi.CodecProvider",
              "dev.switchboard.api.spi.CompressorProvider",
              "dev.switchboard.api.transport.TransportProvider",
              "dev.switchboard.api.spi.HealthCheckProvider",
              "dev.switchboard.api.telemetry.TelemetryProvider"));

  /** The {@code provides} each module must declare: service type → implementation. */
  private static final Map<String, Map<String, String>> PROVIDES =
      Map.of(
          "transport-netty",
              Map.of(
                  "dev.switchboard.api.transport.TransportProvider",
                  "dev.switchboard.transport.netty.NettyTransportProvider"),
          "balancer-pickfirst",
              Map.of(
                  "dev.switchboard.api.spi.BalancerProvider",
                  "dev.switchboard.balancer.pickfirst.PickFirstBalancerProvider"),
          "balancer-roundrobin",
              Map.of(
                  "dev.switchboard.api.spi.BalancerProvider",
                  "dev.switchboard.balancer.roundrobin.RoundRobinBalancerProvider"),
          "codec-proto",
              Map.of(
                  "dev.switchboard.api.spi.CodecProvider",
                  "dev.switchboard.codec.proto.ProtoCodecProvider"),
          "resolver-dns",
              Map.of(
                  "dev.switchboard.api.spi.ResolverProvider",
                  "dev.switchboard.resolver.dns.DnsResolverProvider"),
          "health",
              Map.of(
                  "dev.switchboard.api.spi.HealthCheckProvider",
                  "dev.switchboard.health.GrpcHealthCheckProvider"),
          "telemetry-otel",
              Map.of(
                  "dev.switchboard.api.telemetry.TelemetryProvider",
                  "dev.switchboard.telemetry.otel.GlobalOpenTelemetryProvider"));

  /**
   * Each module declares exactly the expected {@code uses} and {@code provides}, and needs no OSGi
   * module at run time: every OSGi {@code requires} is {@code static}, so the module path and the
   * class path work without any OSGi jar.
   */
  @ParameterizedTest
  @MethodSource("dev.switchboard.itests.Modules#all")
  void declaresExpectedUsesAndProvidesAndNoRuntimeOsgi(String module) {
    ModuleDescriptor d = ModuleFinder.of(jarOf(module)).findAll().iterator().next().descriptor();
    assertEquals(USES.getOrDefault(module, Set.of()), d.uses(), module + ": uses");
    Map<String, String> provides = new HashMap<>();
    for (ModuleDescriptor.Provides p : d.provides()) {
      assertEquals(1, p.providers().size(), module + ": one provider per service");
      provides.put(p.service(), p.providers().get(0));
    }
    assertEquals(PROVIDES.getOrDefault(module, Map.of()), provides, module + ": provides");
    for (ModuleDescriptor.Requires r : d.requires()) {
      if (r.name().startsWith("org.osgi") || r.name().startsWith("osgi.")) {
        assertTrue(
            r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC),
            module + ": requires " + r.name() + " must be static (OSGi is optional)");
      }
    }
  }

  private static String findComponentXml(JarFile jf, String impl) throws IOException {
    List<ZipEntry> entries = new ArrayList<>();
    jf.stream()
        .filter(e -> e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml"))
        .forEach(entries::add);
    for (ZipEntry e : entries) {
      String xml = read(jf, e);
      if (xml.contains("class=\"" + impl + "\"")) {
        return xml;
      }
    }
    return null;
  }

  private static String read(JarFile jf, ZipEntry e) throws IOException {
    try (InputStream in = jf.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Splits an OSGi header into package → attributes, respecting quoted commas. */
  static Map<String, String> exportPackages(String header) {
    Map<String, String> out = new HashMap<>();
    if (header == null) {
      return out;
    }
    List<String> clauses = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : header.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        clauses.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    clauses.add(cur.toString());
    for (String clause : clauses) {
      int semi = clause.indexOf(';');
      String pkg = (semi < 0 ? clause : clause.substring(0, semi)).trim();
      out.put(pkg, semi < 0 ? "" : clause.substring(semi));
    }
    return out;
  }
}
