package dev.switchboard.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same jars that run in Felix also run as named modules on the module path and as plain jars on
 * the class path, with nothing else: only Switchboard, Netty and protobuf, no OSGi jar. The
 * examples module ({@code dev.switchboard.examples}, explicit, with a main) is the application; its
 * demos make real calls over loopback in a child JVM and exit 0 only when every step worked: the
 * hello-world tour in plaintext, and a Greeter over mutual TLS (certificates made here, {@link
 * TlsFiles}; the server's name checked through an authority override) that authenticates a bearer
 * token and the client's certificate. With Netty's epoll modules added to the module path, the
 * transport's sockets are by epoll (a probe program's channel says so in its wiring), by NIO
 * without them. With telemetry-otel and the OpenTelemetry API, context and SDK jars (automatic
 * modules) added, a call is traced end to end ({@link TracedCallMain}).
 */
class ModulePathIT {
  private static final String DEMO_MODULE = "dev.switchboard.examples";
  private static final String DEMO_CLASS = "dev.switchboard.examples.HelloWorldDemo";
  private static final String TLS_DEMO_CLASS = "dev.switchboard.examples.SecureGreeterDemo";
  private static final String DEMO_PASSED = "Demo finished: all steps passed.";

  /** Netty's epoll jars as copied to target/bundles: the classes, and the native library. */
  private static final List<String> EPOLL_JARS =
      List.of("netty-transport-classes-epoll", "netty-transport-native-epoll-linux-x86_64");

  /** telemetry-otel and OpenTelemetry's API, context and SDK jars, as copied to target/bundles. */
  private static final List<String> TELEMETRY_JARS =
      List.of(
          "telemetry-otel",
          "opentelemetry-common",
          "opentelemetry-context",
          "opentelemetry-api",
          "opentelemetry-sdk-common",
          "opentelemetry-sdk-trace",
          "opentelemetry-sdk-metrics",
          "opentelemetry-sdk-logs",
          "opentelemetry-sdk");

  /** Their module names: {@code transport-netty} only {@code requires static} the first. */
  private static final String EPOLL_MODULES =
      "io.netty.transport.classes.epoll,io.netty.transport.epoll.linux.x86_64";

  /**
   * A program run by the source launcher (in the unnamed module, reading the modules added): a
   * unary call to a server of its own, then the channel's wiring.
   */
  private static final String PROBE =
      """
      import com.google.protobuf.StringValue;
      import dev.switchboard.api.*;
      import dev.switchboard.api.stub.ClientCalls;
      import dev.switchboard.api.stub.ServerCalls;
      import dev.switchboard.clientconn.ClientConns;
      import dev.switchboard.server.Servers;
      import java.util.concurrent.TimeUnit;

      public class WiringProbe {
        public static void main(String[] args) throws Exception {
          MethodDescriptor<StringValue, StringValue> echo =
              MethodDescriptor.of(
                  "probe.Echo/Unary", MethodType.UNARY, StringValue.class, StringValue.class);
          ServiceDefinition service =
              ServiceDefinition.newBuilder("probe.Echo")
                  .addMethod(echo, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                  }))
                  .build();
          Server server =
              Servers.newServer(
                      ServerOptions.newBuilder()
                          .insecure()
                          .listen("127.0.0.1", 0)
                          .addService(service)
                          .build())
                  .start();
          try (ClientConn conn =
              ClientConns.newClient(
                  "127.0.0.1:" + server.port(), DialOptions.newBuilder().insecure().build())) {
            StringValue answer =
                ClientCalls.blockingUnaryCall(
                    conn,
                    echo,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    StringValue.of("over the module path"));
            System.out.println("answer: " + answer.getValue());
            System.out.println("wiring: " + conn.describeWiring());
          } finally {
            server.shutdownNow();
          }
        }
      }
      """;

  /** The run-time jars, as copied to target/bundles: ours, Netty, protobuf. */
  static List<Path> runtimeJars() {
    Path dir = Path.of(System.getProperty("bundles.dir", "target/bundles"));
    List<Path> jars = new ArrayList<>();
    for (String a : FelixOptions.SWITCHBOARD) {
      jars.add(dir.resolve(a + ".jar"));
    }
    for (String a : FelixOptions.NETTY) {
      jars.add(dir.resolve(a + ".jar"));
    }
    jars.add(dir.resolve("protobuf-java.jar"));
    for (Path jar : jars) {
      assertTrue(Files.isRegularFile(jar), "missing " + jar);
    }
    return jars;
  }

  @Test
  void moduleGraphBindsEveryProviderAndNeedsNoOsgi() {
    ModuleFinder finder = ModuleFinder.of(runtimeJars().toArray(Path[]::new));
    Configuration cf =
        ModuleLayer.boot()
            .configuration()
            .resolveAndBind(finder, ModuleFinder.of(), Set.of(DEMO_MODULE));
    Set<String> names =
        cf.modules().stream()
            .map(ResolvedModule::name)
            .collect(Collectors.toCollection(TreeSet::new));
    // Service binding through api's `uses` pulls in every plugin module.
    for (String plugin :
        List.of(
            "transport.netty",
            "balancer.pickfirst",
            "balancer.roundrobin",
            "codec.proto",
            "resolver.dns",
            "core.clientconn",
            "core.server",
            "api")) {
      assertTrue(names.contains("dev.switchboard." + plugin), "resolved: " + names);
    }
    for (ResolvedModule m : cf.modules()) {
      if (m.name().startsWith("dev.switchboard.")) {
        assertFalse(m.reference().descriptor().isAutomatic(), m.name() + " is automatic");
      }
      assertFalse(
          m.name().startsWith("org.osgi") || m.name().startsWith("osgi."),
          "an OSGi module was resolved: " + m.name());
    }
  }

  @Test
  void onTheModulePathAMissingProviderIsAModuleToAdd() throws Exception {
    ModuleFinder finder = ModuleFinder.of(runtimeJars().toArray(Path[]::new));
    Configuration cf =
        ModuleLayer.boot()
            .configuration()
            .resolveAndBind(finder, ModuleFinder.of(), Set.of("dev.switchboard.api"));
    ModuleLayer layer =
        ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    Class<?> registry =
        layer
            .findLoader("dev.switchboard.api")
            .loadClass("dev.switchboard.api.transport.TransportRegistry");
    assertTrue(registry.getModule().isNamed());
    assertHints(
        registry,
        "MODULE_PATH",
        "no transport 'x' deployed: add the module providing it "
            + "to the module path (one that provides dev.switchboard.api.transport.TransportProvider), "
            + "or its jar to the class path");
  }

  @Test
  void onTheClassPathAMissingProviderIsAJarToAdd() throws Exception {
    List<java.net.URL> urls = new ArrayList<>();
    for (Path jar : runtimeJars()) {
      urls.add(jar.toUri().toURL());
    }
    try (java.net.URLClassLoader loader =
        new java.net.URLClassLoader(
            urls.toArray(java.net.URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> registry = loader.loadClass("dev.switchboard.api.transport.TransportRegistry");
      assertFalse(registry.getModule().isNamed());
      assertHints(
          registry,
          "CLASS_PATH",
          "no transport 'x' deployed: add the jar providing it to "
              + "the class path (one listing it in "
              + "META-INF/services/dev.switchboard.api.transport.TransportProvider)");
    }
  }

  /**
   * The default transport registry loaded from {@code registry} found netty, says where it is fed
   * from, and gives {@code hint} for a transport that is not there.
   */
  private static void assertHints(Class<?> registry, String feed, String hint) throws Exception {
    Object defaults = registry.getMethod("getDefaultRegistry").invoke(null);
    assertTrue(
        registry.getMethod("lookup", String.class).invoke(defaults, "netty") != null,
        "netty found by the service loader");
    assertEquals(feed, String.valueOf(registry.getMethod("feed").invoke(defaults)));
    assertEquals(
        hint,
        "no transport 'x' deployed: "
            + registry.getMethod("howToDeploy", String.class).invoke(defaults, "x"));
  }

  @Test
  void demoRunsOnTheModulePath(@TempDir Path tmp) throws Exception {
    String output = runJava(tmp, "-p", joined(runtimeJars()), "-m", DEMO_MODULE + "/" + DEMO_CLASS);
    assertTrue(output.contains("round_robin"), output);
  }

  @Test
  void demoRunsOnTheClassPath(@TempDir Path tmp) throws Exception {
    runJava(tmp, "-cp", joined(runtimeJars()), DEMO_CLASS);
  }

  @Test
  void tlsDemoRunsOnTheModulePath(@TempDir Path tmp) throws Exception {
    Path pem = TlsFiles.write(tmp.resolve("pem"));
    assertTlsDemo(
        runJava(
            tmp,
            "-p",
            joined(runtimeJars()),
            "-m",
            DEMO_MODULE + "/" + TLS_DEMO_CLASS,
            pem.toString(),
            TlsFiles.SERVER_NAME));
  }

  @Test
  void tlsDemoRunsOnTheClassPath(@TempDir Path tmp) throws Exception {
    Path pem = TlsFiles.write(tmp.resolve("pem"));
    assertTlsDemo(
        runJava(
            tmp,
            "-cp",
            joined(runtimeJars()),
            TLS_DEMO_CLASS,
            pem.toString(),
            TlsFiles.SERVER_NAME));
  }

  /**
   * telemetry-otel, the OpenTelemetry API, context and SDK (automatic modules) with the runtime
   * jars: {@link TracedCallMain}'s call is traced end to end by the provider telemetry-otel {@code
   * provides}, which the service loader finds through api's {@code uses} (no root names it).
   */
  @Test
  void telemetryTracesACallOnTheModulePath(@TempDir Path tmp) throws Exception {
    String output =
        runChild(
            tmp,
            "-Dswitchboard.otel.global=true",
            "-p",
            joined(withTelemetryJars()),
            "--add-modules",
            "dev.switchboard.core.clientconn,dev.switchboard.core.server,com.google.protobuf,"
                + "io.opentelemetry.sdk",
            "-cp",
            testClasses(),
            TracedCallMain.class.getName());
    assertTrue(
        output.contains(
            "traced end to end by module dev.switchboard.telemetry.otel"
                + " over module io.opentelemetry.sdk"),
        output);
  }

  /**
   * The same program with the same jars on the class path: META-INF/services finds the provider.
   */
  @Test
  void telemetryTracesACallOnTheClassPath(@TempDir Path tmp) throws Exception {
    String output =
        runChild(
            tmp,
            "-Dswitchboard.otel.global=true",
            "-cp",
            joined(withTelemetryJars()) + File.pathSeparator + testClasses(),
            TracedCallMain.class.getName());
    assertTrue(output.contains("traced end to end by the class path over the class path"), output);
  }

  /** The runtime jars, telemetry-otel and the OpenTelemetry jars it and the SDK need. */
  private static List<Path> withTelemetryJars() {
    Path dir = Path.of(System.getProperty("bundles.dir", "target/bundles"));
    List<Path> jars = new ArrayList<>(runtimeJars());
    for (String a : TELEMETRY_JARS) {
      Path jar = dir.resolve(a + ".jar");
      assertTrue(Files.isRegularFile(jar), "missing " + jar);
      jars.add(jar);
    }
    return jars;
  }

  /** This module's compiled tests: {@link TracedCallMain} and the classes it uses. */
  private static String testClasses() throws Exception {
    return Path.of(TracedCallMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  @Test
  void epollModulesOnTheModulePathArePicked(@TempDir Path tmp) throws Exception {
    assumeTrue(
        System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64"),
        "epoll: Linux x86_64 only");
    Path dir = Path.of(System.getProperty("bundles.dir", "target/bundles"));
    List<Path> withEpoll = new ArrayList<>(runtimeJars());
    for (String a : EPOLL_JARS) {
      withEpoll.add(dir.resolve(a + ".jar"));
    }
    Path probe = Files.writeString(tmp.resolve("WiringProbe.java"), PROBE);
    String roots =
        "dev.switchboard.core.clientconn,dev.switchboard.core.server,com.google.protobuf";

    String epoll = runProbe(tmp, withEpoll, roots + "," + EPOLL_MODULES, probe);
    assertTrue(epoll.contains("sockets by epoll (native transport found)"), epoll);
    // The control: the same program without them is on NIO.
    String nio = runProbe(tmp, runtimeJars(), roots, probe);
    assertTrue(nio.contains("sockets by NIO ("), nio);
  }

  /**
   * Runs {@link #PROBE} with {@code jars} on the module path and {@code modules} added; asserts its
   * call was answered; returns its output.
   */
  private static String runProbe(Path tmp, List<Path> jars, String modules, Path probe)
      throws IOException, InterruptedException {
    String output = runChild(tmp, "-p", joined(jars), "--add-modules", modules, probe.toString());
    assertTrue(output.contains("answer: over the module path"), output);
    return output;
  }

  /** The mTLS call was served, the principal named, and the wrong token refused. */
  private static void assertTlsDemo(String output) {
    assertTrue(
        output.contains("You are ada calling from " + TlsFiles.CLIENT_SUBJECT + "."), output);
    assertTrue(output.contains("[wrong token]  -> UNAUTHENTICATED: invalid bearer token"), output);
  }

  private static String joined(List<Path> jars) {
    return jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /** Runs a child JVM; asserts exit 0 and the demo's success line; returns its output. */
  private static String runJava(Path tmp, String... args) throws IOException, InterruptedException {
    String output = runChild(tmp, args);
    assertTrue(output.contains(DEMO_PASSED), output);
    return output;
  }

  /** Runs a child JVM; asserts exit 0; returns its output. */
  private static String runChild(Path tmp, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(List.of(args));
    Path log = tmp.resolve("output.txt");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
    return output;
  }
}
