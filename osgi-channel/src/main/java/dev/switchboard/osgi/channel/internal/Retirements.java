package dev.switchboard.osgi.channel.internal;

import dev.switchboard.api.ClientConn;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Channels that were unregistered (replaced or deleted) and are shut down gracefully after a delay:
 * a component that took the service just before it was unregistered can still start its call, and
 * every call started finishes. The delay runs on the JDK's shared delayed executor; no thread of
 * our own. {@link #shutdownAll()} shuts the waiting ones down at once (the bundle is stopping).
 * Thread-safe.
 */
final class Retirements {
  private static final System.Logger LOG = System.getLogger(Retirements.class.getName());

  private final Set<ClientConn> waiting = ConcurrentHashMap.newKeySet();

  /**
   * Shuts {@code conn} down gracefully after {@code delay}, then runs {@code then}.
   *
   * @param name the channel's name, for the log
   */
  void retire(String name, ClientConn conn, Duration delay, Runnable then) {
    waiting.add(conn);
    CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              if (waiting.remove(conn)) {
                shutdown(name, conn);
              }
              then.run();
            });
  }

  /** Shuts every waiting channel down gracefully now. */
  void shutdownAll() {
    for (ClientConn conn : waiting) {
      if (waiting.remove(conn)) {
        shutdown("retired", conn);
      }
    }
  }

  private static void shutdown(String name, ClientConn conn) {
    LOG.log(
        System.Logger.Level.INFO,
        "channel {0} to {1}: shutting down gracefully; calls in flight finish",
        name,
        conn.target());
    conn.shutdown();
  }
}
