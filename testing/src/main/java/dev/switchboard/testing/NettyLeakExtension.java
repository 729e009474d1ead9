package dev.switchboard.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty's leak detector reports a leaked buffer. Installs a leak-detector factory
 * (before Netty's buffer classes initialize, which is why it is registered for every test class
 * through JUnit's extension auto-detection, enabled by the build), sets the level to PARANOID, and
 * after each test forces collection and a leak-queue poll, then fails on any report.
 *
 * <p>Does nothing when Netty is not on the test's class path.
 */
public final class NettyLeakExtension
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final boolean NETTY_PRESENT = NettyPresence.PRESENT;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (NETTY_PRESENT) {
      Detectors.install();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (NETTY_PRESENT) {
      Detectors.check(context.getDisplayName());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (NETTY_PRESENT) {
      Detectors.check(context.getDisplayName() + " (after all)");
    }
  }

  /** Holds the Netty-typed parts, so the outer class loads without Netty. */
  private static final class Detectors {
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    static final List<ResourceLeakDetector<?>> DETECTORS = new CopyOnWriteArrayList<>();
    static boolean installed;

    static synchronized void install() {
      if (installed) {
        return;
      }
      installed = true;
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
      ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(
          new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
              ResourceLeakDetector<T> d = new RecordingDetector<>(resource, samplingInterval);
              DETECTORS.add(d);
              return d;
            }
          });
    }

    static void check(String where) {
      for (int i = 0; i < 3; i++) {
        System.gc();
        System.runFinalization();
        // track() polls the reference queue and reports what was collected unreleased.
        for (ResourceLeakDetector<?> d : DETECTORS) {
          poll(d);
        }
      }
      if (!LEAKS.isEmpty()) {
        String report = String.join("\n---\n", LEAKS);
        LEAKS.clear();
        throw new AssertionError("Netty buffer leak detected around " + where + ":\n" + report);
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void poll(ResourceLeakDetector d) {
      Object probe = new Object();
      ResourceLeakTracker<Object> t = d.track(probe);
      if (t != null) {
        t.close(probe);
      }
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    @SuppressWarnings("deprecation")
    RecordingDetector(Class<?> resourceType, int samplingInterval) {
      super(resourceType, samplingInterval, Long.MAX_VALUE);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      Detectors.LEAKS.add("LEAK: " + resourceType + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      Detectors.LEAKS.add("LEAK (untraced): " + resourceType);
      super.reportUntracedLeak(resourceType);
    }
  }
}
