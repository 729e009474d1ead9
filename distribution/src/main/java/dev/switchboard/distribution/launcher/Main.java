package dev.switchboard.distribution.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Runs the Switchboard demo: boots an embedded OSGi framework (Felix, found through the standard
 * {@link FrameworkFactory} service) with its cache in a temporary directory, installs and starts
 * every bundle embedded under {@code bundles/} in this jar (SCR, Configuration Admin, Metatype,
 * Netty, protobuf, Switchboard, the demo bundle), waits for the demo component inside the framework
 * to finish, stops the framework and prints {@code failed calls: N} as the last line: N counts the
 * calls that failed unexpectedly (the demo counts the UNIMPLEMENTED calls it provokes apart).
 *
 * <p>The launcher and the demo share only JDK types: the launcher registers a {@link
 * CompletableFuture} service with property {@code switchboard.demo=result}; the demo component
 * needs that service (so it runs only under this launcher) and completes it with a map holding
 * {@code failedCalls} (a {@code Long}: unexpected failures), {@code expectedFailures} (a {@code
 * Long}) and, if a step went wrong, {@code error} (a {@code String}).
 *
 * <p>Exit code: 0 when the demo ran and no call failed, 1 otherwise. System property {@code
 * switchboard.demo.timeout} (seconds, default 300) bounds the wait.
 */
public final class Main {
  /** Property of the result service the demo component waits for. */
  static final String RESULT_PROPERTY = "switchboard.demo";

  private static final String BUNDLES = "bundles/";

  /** The bundle holding the demo component; started last. */
  private static final String DEMO_BSN = "dev.switchboard.distribution";

  /** Held strongly: JUL forgets the level of a logger nobody references. */
  private static final Logger SWITCHBOARD_LOG = Logger.getLogger("dev.switchboard");

  private Main() {}

  /**
   * One line per log record on standard output, so that the channel's own account of each balancer
   * switch (INFO from {@code dev.switchboard}) appears between the demo's lines; other libraries
   * only from WARNING up.
   */
  private static void configureLogging() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    Handler out =
        new StreamHandler(
            System.out,
            new Formatter() {
              @Override
              public String format(LogRecord r) {
                String text =
                    "  ["
                        + r.getLevel().getName().toLowerCase(java.util.Locale.ROOT)
                        + "] "
                        + formatMessage(r)
                        + System.lineSeparator();
                return r.getThrown() == null
                    ? text
                    : text + "    " + r.getThrown() + System.lineSeparator();
              }
            }) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    out.setLevel(Level.ALL);
    root.addHandler(out);
    root.setLevel(Level.WARNING);
    SWITCHBOARD_LOG.setLevel(Level.INFO);
  }

  /** Nothing may print after the last line. */
  private static void silenceLogging() {
    Logger.getLogger("").setLevel(Level.OFF);
    SWITCHBOARD_LOG.setLevel(Level.OFF);
  }

  public static void main(String[] args) throws Exception {
    configureLogging();
    Path cache = Files.createTempDirectory("switchboard-felix-");
    Launch launch = new Launch(cache);
    // Ctrl-C: stop the framework and remove its cache all the same.
    Thread cleanup = new Thread(launch::close, "switchboard-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    int exit;
    try {
      exit = launch.run();
    } finally {
      launch.close();
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // Already shutting down (Ctrl-C): the hook runs and finds nothing left to do.
      }
    }
    System.out.flush();
    System.exit(exit);
  }

  /** One run of the framework, from boot to cache removal. */
  private static final class Launch {
    private final Path cache;
    private Framework framework;
    private boolean closed;

    Launch(Path cache) {
      this.cache = cache;
    }

    int run() throws Exception {
      Map<String, String> config = new HashMap<>();
      config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
      config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
      // Felix's own log: errors only.
      config.put("felix.log.level", "1");
      FrameworkFactory factory =
          ServiceLoader.load(FrameworkFactory.class)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
      synchronized (this) {
        framework = factory.newFramework(config);
      }
      framework.init();
      BundleContext system = framework.getBundleContext();

      CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
      Dictionary<String, Object> props = new Hashtable<>();
      props.put(RESULT_PROPERTY, "result");
      system.registerService(CompletableFuture.class.getName(), result, props);

      List<Bundle> bundles = new ArrayList<>();
      for (Map.Entry<String, Opener> e : embeddedBundles().entrySet()) {
        try (InputStream in = e.getValue().open()) {
          bundles.add(system.installBundle("switchboard-demo:" + e.getKey(), in));
        }
      }
      framework.start();
      // Everything but the demo bundle first, so that the providers are there when it starts.
      List<String> problems = new ArrayList<>();
      Bundle demo = null;
      for (Bundle b : bundles) {
        if (DEMO_BSN.equals(b.getSymbolicName())) {
          demo = b;
        } else {
          start(b, problems);
        }
      }
      System.out.printf(
          "Embedded %s %s: %d of %d bundles ACTIVE; starting %s%n",
          system.getBundle(0).getSymbolicName(),
          system.getBundle(0).getVersion(),
          bundles.stream().filter(b -> b.getState() == Bundle.ACTIVE).count(),
          bundles.size() - 1,
          DEMO_BSN);
      if (demo == null) {
        problems.add(DEMO_BSN + ": not embedded");
      } else if (problems.isEmpty()) {
        start(demo, problems);
      }
      if (!problems.isEmpty()) {
        problems.forEach(p -> System.out.println("  not started: " + p));
        silenceLogging();
        System.out.println("failed calls: unknown (the demo could not start)");
        return 1;
      }

      long timeout = Long.getLong("switchboard.demo.timeout", 300);
      Map<String, Object> outcome;
      try {
        outcome = result.get(timeout, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        // Stop the demo first (it is interrupted and reports what it counted), then the rest.
        demo.stop();
        outcome = new HashMap<>(result.getNow(Map.of()));
        outcome.put("error", "the demo did not finish within " + timeout + " s");
      } catch (ExecutionException e) {
        outcome = Map.of("error", String.valueOf(e.getCause()));
      }
      stopFramework();
      silenceLogging();

      Object error = outcome.get("error");
      Object failed = outcome.get("failedCalls");
      if (error != null) {
        System.out.println("DEMO FAILED: " + error);
      }
      System.out.println("failed calls: " + (failed == null ? "unknown" : failed));
      return error == null && failed instanceof Long n && n == 0 ? 0 : 1;
    }

    private static void start(Bundle b, List<String> problems) {
      if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
        return;
      }
      try {
        b.start();
      } catch (BundleException e) {
        problems.add(b.getSymbolicName() + ": " + e.getMessage());
      }
    }

    private void stopFramework() throws BundleException, InterruptedException {
      Framework f;
      synchronized (this) {
        f = framework;
      }
      if (f != null && (f.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
        f.stop();
        f.waitForStop(TimeUnit.SECONDS.toMillis(30));
      }
    }

    /** Stops the framework if still running and deletes its cache. Idempotent. */
    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        stopFramework();
      } catch (BundleException | InterruptedException | RuntimeException e) {
        System.err.println("could not stop the framework: " + e);
      }
      try (Stream<Path> files = Files.walk(cache)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        System.err.println("could not delete " + cache + ": " + e);
      }
    }
  }

  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * The bundle jars under {@code bundles/}, by file name: entries of this jar, or files next to the
   * classes when run from a directory (the IDE, tests).
   */
  static Map<String, Opener> embeddedBundles() throws IOException, URISyntaxException {
    Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, Opener> out = new TreeMap<>();
    if (Files.isDirectory(self)) {
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(self.resolve(BUNDLES), "*.jar")) {
        for (Path jar : dir) {
          out.put(jar.getFileName().toString(), () -> Files.newInputStream(jar));
        }
      }
    } else {
      try (JarFile jar = new JarFile(self.toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String name = e.nextElement().getName();
          boolean topLevel = name.indexOf('/', BUNDLES.length()) < 0;
          if (name.startsWith(BUNDLES) && name.endsWith(".jar") && topLevel) {
            out.put(name.substring(BUNDLES.length()), () -> openEntry(self, name));
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no bundles under " + BUNDLES + " in " + self);
    }
    return out;
  }

  /** The entry's bytes, read fully so that the jar can be closed at once. */
  private static InputStream openEntry(Path jarPath, String entry) throws IOException {
    try (JarFile jar = new JarFile(jarPath.toFile());
        InputStream in = jar.getInputStream(jar.getEntry(entry))) {
      return new java.io.ByteArrayInputStream(in.readAllBytes());
    }
  }
}
