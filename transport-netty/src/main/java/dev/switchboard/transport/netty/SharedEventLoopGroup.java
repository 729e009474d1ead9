package dev.switchboard.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A lazily created, reference-counted event loop group shared by the factories and server
 * transports of one {@link NettyTransportProvider}. The first {@link #acquire} creates it (daemon
 * threads named {@code switchboard-netty-*}, whose I/O handlers are those of the provider's {@link
 * NettyChannels}: epoll or NIO); the last {@link #release} shuts it down with no quiet period.
 * Thread-safe.
 */
final class SharedEventLoopGroup {
  /** Upper bound for the group's graceful shutdown once it has no users. */
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final Supplier<NettyChannels> channels;

  // Guards the fields below. Never held while calling out; never taken on a hot path.
  private final Object lock = new Object();
  private EventLoopGroup group;
  private int refs;
  private boolean stopping; // between the last release and recording its termination
  private Future<?> lastTermination;

  /** A group of NIO event loops. */
  SharedEventLoopGroup() {
    this(() -> NettyChannels.NIO);
  }

  /**
   * @param channels the socket implementation, asked when a group is made; must answer the same
   *     every time, since the channels made on the group must match its I/O handlers
   */
  SharedEventLoopGroup(Supplier<NettyChannels> channels) {
    this.channels = channels;
  }

  /** Returns the group, creating it if this is the first user. Pair with {@link #release}. */
  EventLoopGroup acquire() {
    IoHandlerFactory ioHandlers = channels.get().ioHandlerFactory(); // cheap; used by the first
    synchronized (lock) {
      if (refs == 0) {
        group =
            new MultiThreadIoEventLoopGroup(
                0, new DefaultThreadFactory("switchboard-netty", true), ioHandlers);
      }
      refs++;
      return group;
    }
  }

  /**
   * Gives back a reference obtained from {@link #acquire}; the last one shuts the group down.
   *
   * @throws IllegalStateException when {@code acquired} is not the current group
   */
  void release(EventLoopGroup acquired) {
    EventLoopGroup toStop = null;
    synchronized (lock) {
      if (refs == 0 || acquired != group) {
        throw new IllegalStateException("event loop group released more often than acquired");
      }
      if (--refs == 0) {
        toStop = group;
        group = null;
        stopping = true;
      }
    }
    if (toStop != null) {
      Future<?> termination =
          toStop.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      synchronized (lock) {
        lastTermination = termination;
        stopping = false;
        lock.notifyAll();
      }
    }
  }

  /** Current number of users, for tests. */
  int refCount() {
    synchronized (lock) {
      return refs;
    }
  }

  /** Waits until nobody uses the group; false on timeout. For tests. */
  boolean awaitUnused(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (lock) {
      while (refs > 0 || stopping) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /**
   * Waits until nobody uses the group and the last one stopped has terminated (its threads run no
   * more of this bundle's code); false on timeout. Used when the provider's bundle stops.
   */
  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    if (!awaitUnused(timeout, unit)) {
      return false;
    }
    Future<?> termination = lastTermination();
    return termination == null
        || termination.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Termination of the most recently stopped group, or {@code null}; for tests. */
  Future<?> lastTermination() {
    synchronized (lock) {
      return lastTermination;
    }
  }
}
