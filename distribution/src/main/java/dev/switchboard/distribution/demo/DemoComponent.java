package dev.switchboard.distribution.demo;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs {@link DemoRun} on its own thread once the demo launcher's result service and Configuration
 * Admin are there, and completes that service with the outcome. Without the launcher (deployed in
 * some other container) the reference stays unsatisfied and nothing runs.
 */
@Component(
    immediate = true,
    service = {})
public final class DemoComponent {
  private final Thread thread;

  /**
   * Starts the demo thread.
   *
   * @param result the launcher's {@code CompletableFuture}, registered with {@code
   *     switchboard.demo=result}
   * @param configAdmin where the demo creates its server and channel configurations
   */
  @Activate
  public DemoComponent(
      BundleContext ctx,
      @Reference(service = CompletableFuture.class, target = "(switchboard.demo=result)")
          CompletableFuture<Map<String, Object>> result,
      @Reference ConfigurationAdmin configAdmin) {
    thread =
        new Thread(
            () -> {
              try {
                result.complete(new DemoRun(ctx, configAdmin, System.out).run());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            },
            "switchboard-demo");
    thread.start();
  }

  /** The framework is stopping before the demo finished: interrupt it. */
  @Deactivate
  void deactivate() throws InterruptedException {
    thread.interrupt();
    thread.join(20_000);
  }
}
