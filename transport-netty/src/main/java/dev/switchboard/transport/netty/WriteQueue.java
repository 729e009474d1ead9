package dev.switchboard.transport.netty;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The way other threads talk to a connection: immutable {@link Command commands} queued from any
 * thread and run in order on the channel's event loop, in batches, with one flush per batch (and
 * every {@value #MAX_COMMANDS_PER_FLUSH} commands). Thread-safe, lock-free.
 *
 * <p>A command queued {@linkplain #enqueue(Command, boolean) without a flush} waits for the next
 * one queued with it, so that what one call writes at once (a unary response's headers, message and
 * trailers) costs the event loop one wake-up and the socket one write. A stream queues its last
 * write of a burst with a flush, so nothing waits indefinitely.
 *
 * <p>When the event loop no longer accepts tasks (its group was shut down), queued commands are
 * {@link Command#abort aborted} on the calling thread so that they release what they own.
 */
final class WriteQueue {
  private static final System.Logger LOG = System.getLogger(WriteQueue.class.getName());
  private static final int MAX_COMMANDS_PER_FLUSH = 128;

  /** Work for the event loop. */
  interface Command {
    /** Runs on the event loop. Must not throw. */
    void run();

    /** The event loop is gone: release owned resources instead of running. Any thread. */
    void abort();
  }

  private final Channel channel;
  private final Queue<Command> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drain;

  WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /** Queues {@code command}; it runs on the event loop after every command queued before it. */
  void enqueue(Command command) {
    enqueue(command, true);
  }

  /**
   * Queues {@code command} to run on the event loop after every command queued before it; when
   * {@code flush} is false it runs only with the next command queued with a flush (or in a batch
   * already under way).
   */
  void enqueue(Command command, boolean flush) {
    queue.add(command);
    if (flush) {
      scheduleDrain();
    }
  }

  /** Runs what was queued without a flush. */
  void flush() {
    if (!queue.isEmpty()) {
      scheduleDrain();
    }
  }

  private void scheduleDrain() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drainTask);
      } catch (RejectedExecutionException e) {
        abortAll();
      }
    }
  }

  private void drain() {
    assert channel.eventLoop().inEventLoop();
    int sinceFlush = 0;
    try {
      Command command;
      while ((command = queue.poll()) != null) {
        try {
          command.run();
        } catch (RuntimeException | Error e) {
          LOG.log(System.Logger.Level.ERROR, "transport command failed: " + command, e);
        }
        if (++sinceFlush == MAX_COMMANDS_PER_FLUSH) {
          channel.flush();
          sinceFlush = 0;
        }
      }
    } finally {
      channel.flush();
      scheduled.set(false);
    }
    if (!queue.isEmpty()) {
      scheduleDrain();
    }
  }

  private void abortAll() {
    try {
      Command command;
      while ((command = queue.poll()) != null) {
        command.abort();
      }
    } finally {
      scheduled.set(false);
    }
    if (!queue.isEmpty()) {
      scheduleDrain();
    }
  }
}
