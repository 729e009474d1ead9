package dev.switchboard.resolver.dns;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One NIO event loop (one daemon thread) shared by every DNS resolver of the provider, created on
 * the first {@link #acquire()} and shut down when the last {@link Lease} is released; a later
 * acquire creates a fresh one. Resolvers given IP literals never acquire it.
 *
 * <p>Thread-safe. The lock guards only the group and the count and is never held while calling out,
 * except into Netty's non-blocking {@code shutdownGracefully}.
 */
final class SharedEventLoop {
  /** The loop of the registered provider instances. */
  static final SharedEventLoop DEFAULT = new SharedEventLoop("switchboard-dns");

  private final String threadPoolName;

  // Guarded by this.
  private EventLoopGroup group;
  private int leases;
  private Future<?> lastTermination = ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);

  SharedEventLoop(String threadPoolName) {
    this.threadPoolName = Objects.requireNonNull(threadPoolName, "threadPoolName");
  }

  /** Takes a reference to the loop, creating it if there is none; release it exactly once. */
  synchronized Lease acquire() {
    if (group == null) {
      // Threads start lazily, on the first task: creating the group does not block.
      group =
          new MultiThreadIoEventLoopGroup(
              1, new DefaultThreadFactory(threadPoolName, true), NioIoHandler.newFactory());
    }
    leases++;
    return new Lease(group.next());
  }

  /** Number of unreleased leases; for tests. */
  synchronized int leaseCount() {
    return leases;
  }

  /**
   * Waits, at most {@code timeout}, for the most recently shut down loop to terminate; returns at
   * once when none was; a loop still in use is not waited for. Keeps an interrupt.
   */
  boolean awaitTermination(long timeout, TimeUnit unit) {
    return lastTermination().awaitUninterruptibly(timeout, unit);
  }

  /** Completes when the most recently shut down loop has terminated; for tests. */
  synchronized Future<?> lastTermination() {
    return lastTermination;
  }

  private synchronized void release() {
    if (--leases == 0) {
      // No quiet period: tasks already queued (such as closing resolver channels) still run.
      lastTermination = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      group = null;
    }
  }

  /** One reference to the shared loop. {@link #release()} is idempotent. Thread-safe. */
  final class Lease {
    private final EventLoop eventLoop;
    private boolean released; // guarded by SharedEventLoop.this

    private Lease(EventLoop eventLoop) {
      this.eventLoop = eventLoop;
    }

    EventLoop eventLoop() {
      return eventLoop;
    }

    void release() {
      synchronized (SharedEventLoop.this) {
        if (released) {
          return;
        }
        released = true;
        SharedEventLoop.this.release();
      }
    }
  }
}
